/* C ABI of the ivr component, compiled as strict C99 (-std=c99 -Wall -Wextra -pedantic). */
#include "check.h"

static const hotline_time_ms T0 = 1740967200000LL; /* Monday 2025-03-03 10:00 +08:00 */

static hotline_ivr_tree* load_example(void) {
  const char* paths[2] = {HOTLINE_SOURCE_DIR "/examples/ivr/national.json",
                          HOTLINE_SOURCE_DIR "/examples/ivr/guangdong.json"};
  hotline_ivr_tree* t = NULL;
  CHECK_OK(hotline_ivr_tree_load(&t, paths, 2));
  return t;
}

static void test_tree(void) {
  hotline_ivr_tree* t = load_example();
  hotline_ivr_node node;
  size_t n = 0, i, needed = 0;
  int found_main = 0;
  char buf[1 << 16];
  const char* text = NULL;
  hotline_duration_ms len = 0;

  CHECK_OK(hotline_ivr_tree_node_count(&n, t));
  CHECK(n > 30);
  for (i = 0; i < n; ++i) {
    CHECK_OK(hotline_ivr_tree_node(&node, t, i));
    CHECK(node.reachable);
    if (strcmp(node.id, "national/main") == 0) {
      found_main = 1;
      CHECK_EQ_I64(node.kind, HOTLINE_IVR_MENU);
      CHECK(node.seconds_to_agent == 9.0);
    }
  }
  CHECK(found_main);
  CHECK_STATUS(hotline_ivr_tree_node(&node, t, n), HOTLINE_EINVALID);
  CHECK_OK(hotline_ivr_tree_dot(buf, sizeof buf, &needed, t));
  CHECK_CONTAINS(buf, "digraph ivr");
  CHECK_STATUS(hotline_ivr_tree_dot(buf, 8, &needed, t), HOTLINE_EBUFFER);
  CHECK(needed > 8);
  CHECK_OK(hotline_ivr_tree_diff(buf, sizeof buf, &needed, t, t));
  CHECK_EQ_I64(needed, 0);
  CHECK_OK(hotline_ivr_prompt(&text, &len, t, "choose_language", "en")); /* zh fallback */
  CHECK_CONTAINS(text, "English");
  CHECK_EQ_I64(len, 5000);
  CHECK_STATUS(hotline_ivr_prompt(&text, &len, t, "nope", "zh"), HOTLINE_ENOTFOUND);
  {
    /* 2 s + 5 s (zh fallback) + 7 s; an unknown id counts 0. */
    const char* ids[] = {"welcome", "choose_language", "main_menu", "nope"};
    const char* with_null[] = {"welcome", NULL};
    bool match = false;
    CHECK_OK(hotline_ivr_prompts_length(&len, t, ids, 4, "en"));
    CHECK_EQ_I64(len, 14000);
    CHECK_OK(hotline_ivr_prompts_length(&len, t, NULL, 0, "en"));
    CHECK_EQ_I64(len, 0);
    CHECK_STATUS(hotline_ivr_prompts_length(&len, t, NULL, 2, "en"), HOTLINE_EINVALID);
    CHECK_STATUS(hotline_ivr_prompts_length(&len, t, with_null, 2, "en"), HOTLINE_EINVALID);
    CHECK_CONTAINS(hotline_error_where(), "ids");
    CHECK_OK(hotline_ivr_digits_match(&match, t, "guangdong/password", "123456"));
    CHECK(match);
    CHECK_OK(hotline_ivr_digits_match(&match, t, "guangdong/password", "12345"));
    CHECK(!match);
    CHECK_OK(hotline_ivr_digits_match(&match, t, "main", "7"));
    CHECK(match); /* no pattern */
    CHECK_STATUS(hotline_ivr_digits_match(&match, t, "nowhere", "1"), HOTLINE_ENOTFOUND);
    CHECK_CONTAINS(hotline_error_where(), "node");
  }
  CHECK_OK(hotline_ivr_simulate_json(buf, sizeof buf, &needed, t,
                                     "{\"timeout_probability\": 0.05, \"tier\": \"L3\"}", 200, 7,
                                     T0));
  CHECK_CONTAINS(buf, "\"containment\"");
  CHECK_STATUS(hotline_ivr_simulate_json(buf, sizeof buf, &needed, t,
                                         "{\"timeout_probability\": 2}", 10, 7, T0),
               HOTLINE_EDEFINITION);
  CHECK_CONTAINS(hotline_error_where(), "/timeout_probability");
  hotline_ivr_tree_free(t);
}

static void test_errors(void) {
  hotline_ivr_tree* t = NULL;
  hotline_ivr_document d;
  char buf[8192];
  size_t needed = 0;
  const char* bad =
      "{\"name\": \"t\", \"version\": \"1\", \"languages\": [\"zh\"], \"global\": {\"agent\": "
      "\"a\"}, \"start\": \"m\", \"nodes\": [{\"id\": \"a\", \"kind\": \"transfer\", \"queue\": "
      "\"q\"}, {\"id\": \"m\", \"kind\": \"menu\", \"options\": [{\"key\": \"1\", \"to\": "
      "\"ghost\"}]}, {\"id\": \"lost\", \"kind\": \"hangup\"}]}";
  d.json = bad;
  d.len = strlen(bad);
  d.base_dir = NULL;
  CHECK_STATUS(hotline_ivr_tree_compose(&t, &d, 1), HOTLINE_EDEFINITION);
  CHECK(t == NULL);
  CHECK_CONTAINS(hotline_error_last(), "t/m/options/0/to");
  CHECK_CONTAINS(hotline_error_last(), "t/lost");
  CHECK_OK(hotline_ivr_validate_json(buf, sizeof buf, &needed, &d, 1));
  CHECK_CONTAINS(buf, "dangling reference");
  d.json =
      "{\"name\": \"t\", \"version\": \"1\", \"start\": \"x\", \"nodes\": [{\"id\": \"x\", "
      "\"kind\": \"warp\"}]}";
  d.len = strlen(d.json);
  CHECK_STATUS(hotline_ivr_tree_compose(&t, &d, 1), HOTLINE_EDEFINITION);
  CHECK_CONTAINS(hotline_error_last(), "/nodes/0/kind");
  /* A collect pattern nested past 16 groups (30,000 deep crashed std::regex): an error at it. */
  d.json =
      "{\"name\": \"t\", \"version\": \"1\", \"start\": \"x\", \"nodes\": [{\"id\": \"x\", "
      "\"kind\": \"collect\", \"into\": \"v\", \"pattern\": "
      "\"((((((((((((((((((1))))))))))))))))))\"}]}";
  d.len = strlen(d.json);
  CHECK_STATUS(hotline_ivr_tree_compose(&t, &d, 1), HOTLINE_EDEFINITION);
  CHECK(t == NULL);
  CHECK_CONTAINS(hotline_error_where(), "/nodes/0/pattern");
  CHECK_CONTAINS(hotline_error_last(), "nested more than 16 deep");
  CHECK_STATUS(hotline_ivr_tree_compose(&t, NULL, 1), HOTLINE_EINVALID);
  CHECK_STATUS(hotline_ivr_tree_compose(&t, &d, 0), HOTLINE_EINVALID);
}

static void test_session(void) {
  hotline_ivr_tree* t = load_example();
  hotline_ivr_registry* reg = NULL;
  hotline_ivr_tree* latest = NULL;
  hotline_ivr_session* s = NULL;
  hotline_ivr_call call;
  hotline_ivr_action acts[4];
  hotline_ivr_status st;
  size_t n = 0, needed = 0;
  int version = 0;
  char buf[8192];

  CHECK_OK(hotline_ivr_registry_new(&reg));
  CHECK_OK(hotline_ivr_registry_publish(&version, reg, t));
  CHECK_EQ_I64(version, 1);
  CHECK_OK(hotline_ivr_registry_latest(&latest, reg));
  hotline_ivr_tree_free(t); /* the registry and the new handle keep it alive */

  memset(&call, 0, sizeof call);
  call.version = HOTLINE_IVR_CALL_VERSION;
  call.tier = "L3";
  call.language = "en";
  CHECK_OK(hotline_ivr_session_new(&s, latest, &call, T0));
  CHECK_STATUS(hotline_ivr_session_actions(acts, 1, &n, s), HOTLINE_EBUFFER);
  CHECK_EQ_I64(n, 3);
  CHECK_OK(hotline_ivr_session_actions(acts, 4, &n, s));
  CHECK_EQ_I64(acts[0].kind, HOTLINE_IVR_DO_PLAY);
  CHECK(strcmp(acts[0].prompts[0], "welcome") == 0);
  CHECK(strcmp(acts[0].language, "en") == 0);
  CHECK_EQ_I64(acts[2].kind, HOTLINE_IVR_DO_COLLECT);
  CHECK_EQ_I64(acts[2].timeout, 4000);
  /* Events in the wrong state change nothing. */
  CHECK_STATUS(hotline_ivr_session_result(s, "ok", T0), HOTLINE_ESTATE);
  CHECK_STATUS(hotline_ivr_session_digits(s, "x", T0), HOTLINE_EINVALID);
  CHECK_OK(hotline_ivr_session_digits(s, "1", T0 + 5000));
  CHECK_OK(hotline_ivr_session_digits(s, "2", T0 + 15000));
  CHECK_OK(hotline_ivr_session_digits(s, "3", T0 + 20000)); /* business: other -> an agent */
  CHECK_OK(hotline_ivr_session_actions(acts, 4, &n, s));
  CHECK_EQ_I64(acts[n - 1].kind, HOTLINE_IVR_DO_TRANSFER);
  CHECK(strcmp(acts[n - 1].name, "business") == 0);
  CHECK_EQ_I64(acts[n - 1].attribute_count, 1);
  CHECK(strcmp(acts[n - 1].attributes[0].value, "business_enquiry") == 0);
  CHECK_OK(hotline_ivr_session_status(&st, s));
  CHECK(st.finished);
  CHECK_EQ_I64(st.outcome, HOTLINE_IVR_TRANSFERRED);
  CHECK(strcmp(st.queue, "business") == 0);
  CHECK_EQ_I64(st.keys, 3);
  CHECK_OK(hotline_ivr_session_trajectory_json(buf, sizeof buf, &needed, s));
  CHECK_CONTAINS(buf, "\"outcome\":\"transferred\"");
  CHECK_STATUS(hotline_ivr_session_hangup(s, T0 + 30000), HOTLINE_ESTATE);
  hotline_ivr_session_free(s);

  call.version = 9;
  CHECK_STATUS(hotline_ivr_session_new(&s, latest, &call, T0), HOTLINE_EINVALID);
  CHECK(s == NULL);
  hotline_ivr_tree_free(latest);
  hotline_ivr_registry_free(reg);
  hotline_ivr_session_free(NULL);
  hotline_ivr_registry_free(NULL);
}

int main(void) {
  test_tree();
  test_errors();
  test_session();
  return check_report("ivr_capi_test");
}
