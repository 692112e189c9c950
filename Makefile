# snnkit — make targets. `make help` lists them.
SHELL := /bin/bash
GO ?= go
BIN := bin
# Build with MPI support where OpenMPI's development files are present.
HAVE_MPI := $(shell pkg-config --exists ompi 2>/dev/null && echo yes)
TAGS := $(if $(HAVE_MPI),mpi,)
MPIRUN := mpirun --allow-run-as-root --oversubscribe --bind-to none
DEMO := out/demo

.PHONY: help deps deps-peers build demo test test-unit test-mpi test-interop test-slurm test-browser test-ci-recipe fuzz bench bench-compare bench-full bench-topomap bench-peers validate validate-topomap vet clean

help:
	@echo "make deps      install what a fresh Debian machine lacks (OpenMPI, Node.js/npm for the Arrow JS check, SLURM and MUNGE for the local cluster, Chromium for the browser test)"
	@echo "make demo      deps + build + the main job on the embedded default (small Brunel network)"
	@echo "make build     build the commands into $(BIN)/ (with MPI when OpenMPI is installed: $(or $(HAVE_MPI),no))"
	@echo "make test      vet, unit tests with fuzz seeds, in-process multi-rank tests, mpirun -np 2/3 tests, Arrow JS interop, real SLURM (test-slurm), headless Chromium (test-browser)"
	@echo "make fuzz      fuzz every parser of user input for a while (FUZZTIME=30s each)"
	@echo "make bench     construction benchmarks: testing.B plus hpc_benchmark scale 1 built by snn-build"
	@echo "make validate  full-scale microcircuit rates (3 seeds) against NEST's published values, then validate-topomap (long)"
	@echo "make bench-compare OLD=REV [NEW=REV]  an engine benchmark at two commits, alternating runs, medians and ratio"
	@echo "make bench-full  full-scale microcircuit, 1 rank × 2 threads, 3 seeds: real-time factor, update and delivery times, bytes per synapse (about 2.5 min here)"
	@echo "make bench-topomap  topomap speed against size (scale 1-4), with and without rewiring, via snn-bench and snn-report"
	@echo "make validate-topomap  topomap map quality after TOPOMAP_MS ms (default 60000, the full run): AD and sigma_aff decrease significantly (Bamford et al. 2010)"
	@echo "make bench-peers  snn-run against Brian2 side by side (needs ../shared/peers; installs python3-brian)"

deps:
	@need=(); \
	pkg-config --exists ompi 2>/dev/null && command -v mpirun >/dev/null || need+=(libopenmpi-dev openmpi-bin pkg-config); \
	command -v node >/dev/null && command -v npm >/dev/null || need+=(nodejs npm); \
	command -v sbatch >/dev/null && command -v munged >/dev/null || need+=(slurm-wlm munge); \
	command -v chromium >/dev/null || need+=(chromium); \
	if [ $${#need[@]} -gt 0 ]; then \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  echo "installing: $${need[*]}"; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq "$${need[@]}" >/dev/null; \
	fi

# -buildvcs=auto stamps the commit into the binaries (and so into every
# result) even where GOFLAGS turns it off.
build:
	$(GO) build -buildvcs=auto -tags '$(TAGS)' -o $(BIN)/ ./cmd/...

# The main job on the embedded default benchmark (examples/bench.yaml): Brunel
# N 1000 and 2000 × seeds 1-3 × ranks 1 and 2, built once per network, run with
# snn-bench (mpirun for 2 ranks when built with MPI), stored, then reported.
demo: deps
	@$(MAKE) --no-print-directory build
	$(BIN)/snn-bench plan
	$(BIN)/snn-bench run -o $(DEMO) --force
	$(BIN)/snn-report $(DEMO) --by params,ranks -m time_simulate,real_time_factor,rate_hz.E -o - -o $(DEMO)/report.html -o $(DEMO)/report.md
	@echo "demo: results in $(DEMO)/store, report in $(DEMO)/report.html and $(DEMO)/report.md"

vet:
	test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	$(if $(HAVE_MPI),$(GO) vet -tags mpi ./...,)

test: vet test-unit test-mpi test-interop test-slurm test-browser test-ci-recipe

test-unit:
	$(GO) test -count=1 ./...

# Multi-rank MPI tests: compile the test binaries with MPI and run them under mpirun.
test-mpi:
ifeq ($(HAVE_MPI),yes)
	@mkdir -p $(BIN)/mpitest
	$(GO) test -tags mpi -c -o $(BIN)/mpitest/comm.test ./pkg/comm/mpi
	$(GO) test -tags mpi -c -o $(BIN)/mpitest/build.test ./pkg/build
	$(GO) test -tags mpi -c -o $(BIN)/mpitest/sim.test ./pkg/sim
	@set -e; for np in 1 2 3; do \
	  echo "mpirun -np $$np: comm"; $(MPIRUN) -np $$np $(BIN)/mpitest/comm.test -test.count=1; \
	  echo "mpirun -np $$np: build"; $(MPIRUN) -np $$np $(BIN)/mpitest/build.test -test.run MPI -test.count=1; \
	  echo "mpirun -np $$np: sim"; $(MPIRUN) -np $$np $(BIN)/mpitest/sim.test -test.run MPI -test.count=1; \
	done
	@# The command itself: mpirun -np 3 writes the bytes of --ranks 3; a binary without MPI refuses to run as 3 copies.
	$(GO) build -tags mpi -o $(BIN)/mpitest/ ./cmd/snn-build
	$(GO) build -o $(BIN)/mpitest/nompi/ ./cmd/snn-build
	rm -rf $(BIN)/mpitest/net-* $(BIN)/mpitest/run-*
	$(MPIRUN) -np 3 $(BIN)/mpitest/snn-build --model microcircuit --set N_scaling=0.02 --seed 4 -o $(BIN)/mpitest/net-mpi
	$(BIN)/mpitest/snn-build --model microcircuit --set N_scaling=0.02 --seed 4 --ranks 3 -o $(BIN)/mpitest/net-inproc
	@for f in $(BIN)/mpitest/net-inproc/rank-*.arrow; do cmp $$f $(BIN)/mpitest/net-mpi/$$(basename $$f); done
	@echo "mpirun -np 3 snn-build: same bytes as --ranks 3"
	@if $(MPIRUN) -np 2 $(BIN)/mpitest/nompi/snn-build --model brunel -o $(BIN)/mpitest/net-nompi 2>$(BIN)/mpitest/nompi.err; then \
	  echo "a binary without MPI ran under mpirun -np 2"; exit 1; fi
	@grep -q "built without MPI support" $(BIN)/mpitest/nompi.err && echo "snn-build without MPI under mpirun -np 2: refused, exit non-zero"
	@# snn-run under mpirun: same spikes as in-process; a failing rank ends the job with its reason.
	$(GO) build -tags mpi -o $(BIN)/mpitest/ ./cmd/snn-run
	$(MPIRUN) -np 3 $(BIN)/mpitest/snn-run $(BIN)/mpitest/net-mpi --t-presim 10 --t-sim 50 --comm p2p -o $(BIN)/mpitest/run-mpi --json > $(BIN)/mpitest/run-mpi.json
	$(BIN)/mpitest/snn-run $(BIN)/mpitest/net-inproc --t-presim 10 --t-sim 50 -o $(BIN)/mpitest/run-inproc --json > $(BIN)/mpitest/run-inproc.json
	@test "$$(grep spike_digest $(BIN)/mpitest/run-mpi.json)" = "$$(grep spike_digest $(BIN)/mpitest/run-inproc.json)" && echo "mpirun -np 3 snn-run --comm p2p: same spike digest as in-process"
	truncate -s -100 $(BIN)/mpitest/net-mpi/rank-00001.synapses.arrow
	@if timeout 60 $(MPIRUN) -np 3 $(BIN)/mpitest/snn-run $(BIN)/mpitest/net-mpi --t-sim 100000 -o $(BIN)/mpitest/run-fail 2>$(BIN)/mpitest/fail.err; then \
	  echo "a run with a truncated partition succeeded"; exit 1; fi
	@grep -q "rank-00001.synapses.arrow" $(BIN)/mpitest/fail.err && echo "mpirun -np 3 snn-run with a truncated partition: aborted with the file's name"
else
	@echo "test-mpi: OpenMPI not installed (run make deps): skipped"; exit 1
endif

# Reads a partition file with Arrow JS (apache-arrow from npm) and checks it against the manifest.
test-interop: build
	rm -rf $(BIN)/interop-net
	$(BIN)/snn-build --model brunel --set N=1000 --ranks 2 -o $(BIN)/interop-net
	cd interop/arrow-js && npm ci --silent --no-audit --no-fund && node check.mjs ../../$(BIN)/interop-net
	$(BIN)/snn-bench run interop/duckdb/bench.yaml -o $(BIN)/interop-results --force
	$(BIN)/snn-bench export $(BIN)/interop-results --format jsonl -o $(BIN)/interop-results/records.jsonl
	cd interop/duckdb && npm ci --silent --no-audit --no-fund && node check.mjs ../../$(BIN)/interop-results

# Real SLURM: starts a one-node cluster on loopback (scripts/slurm-local.sh; ports
# SLURMCTLD_PORT/SLURMD_PORT, default 6817/6818), stops it in a trap, and runs the
# tests that submit benchmark matrices to it with the binaries built into $(BIN)/.
# There the tests may not skip (SNNKIT_REQUIRE_SLURM=1).
test-slurm: build
	@dir=$$(mktemp -d /tmp/snnkit-slurm.XXXXXX); \
	trap 'rc=$$?; scripts/slurm-local.sh stop "'"$$dir"'" || true; \
	  if [ $$rc = 0 ]; then rm -rf "'"$$dir"'"; else echo "test-slurm: cluster logs kept in '"$$dir"'/log"; fi' EXIT; \
	conf=$$(scripts/slurm-local.sh start "$$dir") || exit 1; eval "$$conf"; \
	SNNKIT_BIN="$(CURDIR)/$(BIN)" SNNKIT_REQUIRE_SLURM=1 $(GO) test -tags 'slurm $(TAGS)' -count=1 -run Slurm -v ./pkg/bench/

# Real browser: renders a report page with every kind of figure, opens it in headless
# Chromium (light and dark), fails on console errors, exceptions, network requests or
# layout overflow, checks that deliberately broken pages fail, and saves screenshots
# to $(BIN)/report-screenshot.png and $(BIN)/report-screenshot-dark.png.
# A missing Chromium is a failure here, not a skip (SNNKIT_REQUIRE_BROWSER=1; CI=true does the same).
test-browser:
	@mkdir -p $(BIN)
	SNNKIT_BROWSER_TEST=1 SNNKIT_REQUIRE_BROWSER=1 SNNKIT_SCREENSHOT_DIR="$(CURDIR)/$(BIN)" $(GO) test -count=1 -run Browser -v ./pkg/report/browsercheck/

# The continuous-benchmarking recipe (examples/ci/bench-ci.sh) end to end: a
# baseline on "main", then a branch compared against it (the threshold is wide
# and the gate is on the headline metrics: both sides are the same code on a
# noisy shared machine, where a 2-rank run's few ms of time_communicate can
# triple from one run to the next).
test-ci-recipe: build
	@store=$$(mktemp -d); trap 'rm -rf "$$store"' EXIT; \
	SNNKIT_CI_MACHINE=ci-test SNNKIT_CI_COMMIT=base examples/ci/bench-ci.sh "$$store" main && \
	SNNKIT_CI_MACHINE=ci-test SNNKIT_CI_THRESHOLD=100% SNNKIT_CI_METRICS=time_simulate,real_time_factor,peak_rss_bytes examples/ci/bench-ci.sh "$$store" feature && \
	test -s "$$store/ci-test/$$(git rev-parse HEAD)/compare.md" && test "$$(readlink "$$store/ci-test/main")" = base

FUZZTIME ?= 30s
fuzz:
	$(GO) test ./pkg/model -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./pkg/model -run '^$$' -fuzz '^FuzzSet$$' -fuzztime $(FUZZTIME)
	$(GO) test ./pkg/bench -run '^$$' -fuzz '^FuzzParseConfig$$' -fuzztime $(FUZZTIME)
	$(GO) test ./pkg/bench -run '^$$' -fuzz '^FuzzParseMachine$$' -fuzztime $(FUZZTIME)
	$(GO) test ./pkg/bench -run '^$$' -fuzz '^FuzzParseScontrolJobs$$' -fuzztime $(FUZZTIME)
	$(GO) test ./pkg/results -run '^$$' -fuzz '^FuzzReadJSONL$$' -fuzztime $(FUZZTIME)
	$(GO) test ./pkg/results -run '^$$' -fuzz '^FuzzReadParquet$$' -fuzztime $(FUZZTIME)
	$(GO) test ./pkg/report -run '^$$' -fuzz '^FuzzRecords$$' -fuzztime $(FUZZTIME)
	$(GO) test ./pkg/report -run '^$$' -fuzz '^FuzzParseKeys$$' -fuzztime $(FUZZTIME)
	$(GO) test ./pkg/report -run '^$$' -fuzz '^FuzzParsePercent$$' -fuzztime $(FUZZTIME)
	$(GO) test ./pkg/cliargs -run '^$$' -fuzz '^FuzzInterspersed$$' -fuzztime $(FUZZTIME)

bench: build
	$(GO) test -run '^$$' -bench . -benchtime 3x ./pkg/build ./pkg/rng
	rm -rf out/bench-hpc
	for i in 1 2 3; do \
	  $(BIN)/snn-build --model hpc_benchmark --set scale=1 --threads 2 -o out/bench-hpc --force --json \
	    | grep -E '"(wall_seconds|file_bytes_per_synapse|peak_rss_bytes_per_synapse)"'; \
	done

validate: build
	scripts/validate-microcircuit.sh $(or $(SEEDS),3) $(or $(THREADS),2)
	$(MAKE) --no-print-directory validate-topomap

# full-scale microcircuit speed and memory, 1 rank × 2 threads, 3 seeds (about 2.5 min here).
# It measures this build: the runs and store of an earlier bench-full are
# replaced (the networks are kept).
bench-full: build
	rm -rf out/microcircuit-full/store
	$(BIN)/snn-bench run examples/microcircuit-full.yaml -o out/microcircuit-full --force --rerun
	$(BIN)/snn-report out/microcircuit-full -m real_time_factor,time_update,time_deliver,bytes_per_synapse -o -

# topomap speed against size (scale 1-4) with and without rewiring, 3 seeds, 2 s each (about 5 min).
bench-topomap: build
	$(BIN)/snn-bench run examples/topomap-speed.yaml -o out/topomap-speed --force
	$(BIN)/snn-report out/topomap-speed --by param.scale,param.rewiring -m real_time_factor -o - -o out/topomap-speed/report.html

# An engine benchmark at two commits side by side: make bench-compare OLD=REV [NEW=REV|work] [REPS=5] [BENCH=BenchmarkBrunel]
# (BENCH=snn-run with SNN_BENCH_NET=DIR [SNN_BENCH_THREADS=2] runs the snn-run command of each on a built network).
bench-compare:
	scripts/bench-compare.sh $(or $(OLD),HEAD) $(or $(NEW),work) $(or $(REPS),5) $(or $(BENCH),BenchmarkBrunel)

validate-topomap:
	SNNKIT_TOPOMAP_MS=$(or $(TOPOMAP_MS),60000) go test -count=1 -timeout 30m -run '^TestTopomapMapQuality$$' -v ./pkg/sim/

deps-peers:
	@dpkg -s python3-brian g++ >/dev/null 2>&1 || { sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq python3-brian g++ >/dev/null; }

bench-peers: deps-peers build
	scripts/bench-peers.sh $(or $(REPS),3)

clean:
	rm -rf $(BIN) out
