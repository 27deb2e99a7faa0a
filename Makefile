# hotline — the two commands of the README, plus the pieces they are made of.
#   make demo   install missing Debian packages, build, run the main job: a simulated day at a
#               provincial hotline (every component together) with its report
#   make tour   the components one by one (CLI, C and Python)
#   make test   install, build, run every test (C++, C, Python, packaging, ASan+UBSan)
#   make bench  build and run the Google Benchmarks (medians of 5 repetitions)
#   make fuzz   build the libFuzzer targets and run each for FUZZ_SECONDS (default 60), or for
#               FUZZ_RUNS executions; FUZZ_TARGETS="fuzz_a fuzz_b" picks targets
#   make fuzz-campaign   resumable long run: every target (or FUZZ_TARGETS) until the ledger holds
#               FUZZ_GOAL executions (default 10,000,000), in chunks of FUZZ_CHUNK seconds

SHELL := /bin/bash
JOBS ?= 2
CMAKE ?= cmake
CTEST ?= ctest

# Exactly what the build and the tests need from Debian 12.
DEPS := cmake make g++ pkg-config binutils \
        libfmt-dev libhowardhinnant-date-dev tzdata libboost-container-dev nlohmann-json3-dev \
        libsqlite3-dev libgtest-dev libbenchmark-dev \
        pybind11-dev python3-dev python3-pytest python3-pip python3-setuptools python3-wheel \
        python3-jsonschema clang libclang-rt-14-dev coinor-libcbc-dev valgrind

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

FUZZ_SECONDS ?= 60
FUZZ_RUNS ?= 0
FUZZ_TARGETS ?=
FUZZ_GOAL ?= 10000000
FUZZ_CHUNK ?= 600

.PHONY: deps configure build demo tour test test-release test-asan test-tsan test-fuzz fuzz fuzz-campaign bench format clean

deps:
	@missing=""; for p in $(DEPS); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	else echo "deps: all Debian packages present"; fi

configure: deps
	$(CMAKE) --preset release

build: configure
	$(CMAKE) --build --preset release -j $(JOBS)

demo: build
	@bash scripts/demo.sh build/release

tour: build
	@bash scripts/tour.sh build/release

test: test-release test-asan test-tsan test-fuzz
	@echo "make test: all suites passed"

test-release: build
	$(CTEST) --preset release

test-asan: deps
	$(CMAKE) --preset asan-ubsan
	$(CMAKE) --build --preset asan-ubsan -j $(JOBS)
	$(CTEST) --preset asan-ubsan

# ThreadSanitizer: the Concurrent* stress tests (shared definitions, synchronised facades).
test-tsan: deps
	$(CMAKE) --preset tsan
	$(CMAKE) --build --preset tsan -j $(JOBS)
	$(CTEST) --preset tsan

# libFuzzer targets (Clang, ASan+UBSan): a short smoke run of each from its seeds.
test-fuzz: deps
	$(CMAKE) --preset fuzz
	$(CMAKE) --build --preset fuzz -j $(JOBS)
	$(CTEST) --preset fuzz

fuzz: deps
	$(CMAKE) --preset fuzz
	$(CMAKE) --build --preset fuzz -j $(JOBS)
	@bash scripts/fuzz.sh all build/fuzz $(FUZZ_SECONDS) $(FUZZ_RUNS) "$(FUZZ_TARGETS)"

fuzz-campaign: deps
	$(CMAKE) --preset fuzz
	$(CMAKE) --build --preset fuzz -j $(JOBS)
	@bash scripts/fuzz.sh campaign build/fuzz $(FUZZ_GOAL) $(FUZZ_CHUNK) "$(FUZZ_TARGETS)"

bench: configure
	$(CMAKE) --build --preset release -j $(JOBS) --target benches
	@for b in build/release/bench/hotline_*_bench; do \
	  echo "== $$b"; "$$b" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
	    --benchmark_display_aggregates_only=true || exit 1; \
	done

format:
	@git ls-files '*.cpp' '*.hpp' '*.h' '*.c' | xargs clang-format -i

clean:
	rm -rf build bindings/python/build bindings/python/*.egg-info
