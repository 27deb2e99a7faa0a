/* A PBX-style event loop on the routing C ABI: agents log in, callers arrive, the PBX rings the
 * agents the router chooses and answers / hangs up on a simulated clock, and the router's timers
 * are driven by hotline_router_next_due + hotline_router_advance. Decisions arrive through a
 * callback, as they would in an event-driven PBX. Run from the source tree:
 *   ./build/release/examples/example_c_pbx_loop */
#include <stdio.h>
#include <string.h>

#include "hotline.h"

#define MAX_RINGING 64
#define SECOND 1000LL

typedef struct ring {
  uint64_t contact, agent;
  hotline_time_ms answer_at; /* 0: this agent will not answer (ring-no-answer) */
} ring;

typedef struct pbx {
  const hotline_routing_policy* policy;
  ring ringing[MAX_RINGING];
  int n_ringing;
  int offers, announcements, answered;
  hotline_time_ms now;
} pbx;

static int fail(const char* what, int status) {
  fprintf(stderr, "%s: %s (%s at %s)\n", what, hotline_status_name(status), hotline_error_last(),
          hotline_error_where());
  return 1;
}

/* The router's decisions, one by one, during the call that made them. */
static void on_decision(void* user, const hotline_routing_decision* d) {
  pbx* p = (pbx*)user;
  char text[512];
  size_t needed = 0;
  if (hotline_routing_explain(text, sizeof text, &needed, p->policy, d) != HOTLINE_OK)
    text[0] = '\0';
  printf("  +%4llds  %s\n", (long long)((d->at - 1740967200000LL) / 1000), text);
  switch (d->kind) {
    case HOTLINE_ROUTING_OFFER:
      ++p->offers;
      if (p->n_ringing < MAX_RINGING) {
        ring* r = &p->ringing[p->n_ringing++];
        r->contact = d->contact;
        r->agent = d->agent;
        /* Agent 103 is away from the desk and never answers. */
        r->answer_at = d->agent == 103 ? 0 : d->at + 4 * SECOND;
      }
      break;
    case HOTLINE_ROUTING_WITHDRAW: {
      int i;
      for (i = 0; i < p->n_ringing; ++i) {
        if (p->ringing[i].contact == d->contact && p->ringing[i].agent == d->agent) {
          p->ringing[i] = p->ringing[--p->n_ringing];
          break;
        }
      }
      break;
    }
    case HOTLINE_ROUTING_ANNOUNCE:
      ++p->announcements;
      break;
    default:
      break;
  }
}

int main(void) {
  hotline_routing_policy* policy = NULL;
  hotline_router* router = NULL;
  pbx p;
  int status, i, next_caller = 1;
  const hotline_time_ms t0 = 1740967200000LL; /* Monday 2025-03-03 10:00 Shanghai */
  const hotline_time_ms end = t0 + 600 * SECOND;
  static const char* agents[] = {
      "{\"id\": 101, \"name\": \"li.na\", \"skills\": {\"billing\": 5, \"vip_service\": 4}, "
      "\"languages\": [\"zh\"], \"grade\": \"senior\"}",
      "{\"id\": 102, \"name\": \"wang.wei\", \"skills\": {\"billing\": 3, \"broadband\": 4}, "
      "\"languages\": [\"zh\", \"en\"]}",
      "{\"id\": 103, \"name\": \"zhang.min\", \"skills\": {\"billing\": 4}, \"languages\": "
      "[\"zh\"]}"};
  static const char* callers[] = {"billing", "vip", "broadband", "billing"};

  memset(&p, 0, sizeof p);
  status = hotline_routing_policy_load(&policy, "examples/routing/policy.json");
  if (status != HOTLINE_OK) return fail("load policy", status);
  p.policy = policy;
  status = hotline_router_new(&router, policy, NULL);
  if (status != HOTLINE_OK) return fail("router", status);
  hotline_router_set_callback(router, on_decision, &p);
  p.now = t0;
  for (i = 0; i < 3; ++i) {
    status = hotline_router_login(router, agents[i], true, t0);
    if (status != HOTLINE_OK) return fail("login", status);
  }

  /* The loop: the next thing to happen is a caller (every 25 s), an answer, a hang-up of a
   * connected call (after 60 s of talk), or a router timer. */
  {
    uint64_t talking[8];
    hotline_time_ms talk_end[8];
    int n_talking = 0;
    hotline_time_ms next_arrival = t0;
    while (p.now < end) {
      hotline_time_ms due = 0, next = end;
      bool has = false;
      int k;
      if (next_arrival < next) next = next_arrival;
      for (k = 0; k < p.n_ringing; ++k) {
        if (p.ringing[k].answer_at && p.ringing[k].answer_at < next) next = p.ringing[k].answer_at;
      }
      for (k = 0; k < n_talking; ++k) {
        if (talk_end[k] < next) next = talk_end[k];
      }
      hotline_router_next_due(&due, &has, router);
      if (has && due < next) next = due;
      p.now = next;
      if (p.now >= end) break;
      hotline_router_advance(router, p.now);
      if (p.now == next_arrival) {
        char contact[256];
        const char* queue = callers[next_caller % 4];
        snprintf(
            contact, sizeof contact,
            "{\"id\": %d, \"queue\": \"%s\", \"attributes\": {\"arpu\": %d}, \"language\": \"zh\"}",
            next_caller, queue, next_caller * 90 % 700);
        printf("caller %d -> %s\n", next_caller, queue);
        status = hotline_router_arrive(router, contact, p.now);
        if (status != HOTLINE_OK) return fail("arrive", status);
        ++next_caller;
        next_arrival += 25 * SECOND;
      }
      for (k = 0; k < p.n_ringing; ++k) {
        ring r = p.ringing[k];
        if (r.answer_at && r.answer_at <= p.now && n_talking < 8) {
          p.ringing[k--] = p.ringing[--p.n_ringing];
          if (hotline_router_accept(router, r.contact, r.agent, p.now) == HOTLINE_OK) {
            ++p.answered;
            talking[n_talking] = r.contact;
            talk_end[n_talking++] = p.now + 60 * SECOND;
          }
        }
      }
      for (k = 0; k < n_talking; ++k) {
        if (talk_end[k] <= p.now) {
          hotline_router_end(router, talking[k], p.now); /* wrap-up runs on the router's timer */
          talking[k] = talking[--n_talking];
          talk_end[k] = talk_end[n_talking];
          --k;
        }
      }
      status = hotline_router_check(router);
      if (status != HOTLINE_OK) return fail("invariants", status);
    }
  }
  printf("%d callers, %d offers, %d answered, %d announcements\n", next_caller - 1, p.offers,
         p.answered, p.announcements);
  hotline_router_free(router);
  hotline_routing_policy_free(policy);
  return p.answered > 0 ? 0 : 1;
}
