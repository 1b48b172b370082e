#!/usr/bin/env bash
# Cluster test: the job on a real Spark standalone cluster that loses executors mid-job, against a local[2] run.
#
# On loopback (127.0.0.1), in a temp dir: a stand-in SPARK_HOME (jars/ = symlinks to the Spark jars Maven resolves,
# conf/log4j2.properties, RELEASE), one Master and two Workers of 1 core and 1g each (so the job gets two executor
# JVMs), each started as `java -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*" org.apache.spark.deploy...`, on ports the OS
# picks. Then:
#   1. `generate --input-format parquet` a small input (CLUSTER_TEST_CUSTOMERS customers);
#   2. `run` it twice at once, both under SparkSubmit with the runtime jar in --jars and the extension in
#      spark.sql.extensions, as a user submits it: with --master local[2] (the reference) and with
#      --master spark://... --deploy-mode client --explain (the cluster run);
#   3. during the cluster run, kill -9 two executor JVMs (CoarseGrainedExecutorBackend, children of their Worker),
#      each while it runs a task: its log shows `Running task` without `Finished task` for it, the JVM is frozen
#      (SIGSTOP), its log checked again, then SIGKILL. Kill 1 during the run's first task, once it has run for 1 s,
#      so that the replacement the Master starts joins while most of the job is still to run; kill 2 during a task of
#      the write stage (the as-of operator feeding the format's writer) that has already staged files of its own
#      (_staging/<job>/task-<partition>-<TID>/). The next kill waits for the driver to report the last one;
#   4. assert, for both kills: the driver logged `Lost executor N` and the loss of that task, the Worker saw the
#      executor exit with status 137, the task ran again; the Master launched 2 replacement executors and the first
#      one ran tasks; the cluster run exited 0; its output holds exactly the reference's rows
#      (.ci/ClusterOutputDiff.java, run by Java's source launcher on Spark's jars: no build); its summary's history
#      plan line and its --explain plans name the extension's operators (AsOfContextHistory, AsOfEventPack).
# Prints `cluster-test: PASS in N s ...`, or `cluster-test: FAIL after N s: <what>` after the tails of the logs, and
# exits 0 or 1 (130 on Ctrl-C, 143 on TERM). Every JVM it starts (with the executors its Workers start) runs in a
# session of its own, with CLUSTER_TEST_RUN=<its temp dir> in its environment; on every exit path each live process
# with that in its environment gets TERM, then KILL after 5 s. The temp dir is removed after a pass and kept after a
# failure.
#
# Needs the runtime jar, the CLI jar and examples/target/spark-classpath.txt; when one is missing they are made with
# one mvn command, the one bin/training-inputs runs. Takes about 80 s on 2 cores. Environment:
#   CLUSTER_TEST_CUSTOMERS    customers to generate (default 2000)
#   CLUSTER_TEST_MAX_ACTIONS  the runs' --max-actions (default 200: a fifth of the job's default, for time)
#   CLUSTER_TEST_TIMEOUT_S    the whole test's limit (default 300), after which it fails and stops everything
#   CLUSTER_TEST_KEEP=1       keep the temp dir (logs, data) after a pass too
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
customers="${CLUSTER_TEST_CUSTOMERS:-2000}"
max_actions="${CLUSTER_TEST_MAX_ACTIONS:-200}"
limit_s="${CLUSTER_TEST_TIMEOUT_S:-300}"
start_ns="$(date +%s%N)"

elapsed() { echo $(( ($(date +%s%N) - start_ns) / 1000000000 )); }
say() { printf 'cluster-test [%3ds] %s\n' "$(elapsed)" "$*"; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/cluster-test.XXXXXX")"
logs="$tmp/logs"
mkdir -p "$logs"
failure=""
stuck=0          # 1 once stop_all could not stop a process
tails=()         # logs to show on failure
# Every process this run starts has this in its environment (the executors too: Workers pass theirs on).
marker="CLUSTER_TEST_RUN=$tmp"

ours() {  # the pids of the live processes started by this run
  grep -lzxF "$marker" /proc/[0-9]*/environ 2>/dev/null | sed 's|^/proc/\([0-9]*\)/environ$|\1|' || true
}

stop_all() {  # TERM to every process of this run, KILL after 5 s to those left
  local pids
  mapfile -t pids < <(ours)
  [[ ${#pids[@]} == 0 ]] && return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 50); do
    mapfile -t pids < <(ours)
    [[ ${#pids[@]} == 0 ]] && return 0
    sleep 0.1
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  sleep 0.5
  mapfile -t pids < <(ours)
  if [[ ${#pids[@]} != 0 ]]; then
    echo "cluster-test: could not stop: $(ps -o pid=,args= -p "$(IFS=,; echo "${pids[*]}")" | cut -c1-100)" >&2
    stuck=1
  fi
}

show_tails() {  # the last 30 lines of each log named in $tails, less --explain's plan lines
  local f
  for f in "${tails[@]}"; do
    [[ -s "$f" ]] || continue
    echo "----- ${f#"$tmp"/} (last 30 lines) -----"
    grep -avE '^[ :|]*(\+- |:- )|^(== |AdaptiveSparkPlan)' "$f" | tail -n 30 | cut -c1-300
  done
}

on_exit() {
  local rc=$?
  trap - EXIT INT TERM
  stop_all
  if [[ $rc == 0 && -z "$failure" ]]; then
    if [[ "${CLUSTER_TEST_KEEP:-0}" == 1 ]]; then say "kept $tmp"; else rm -rf "$tmp"; fi
    exit 0
  fi
  if [[ $rc == 130 ]]; then
    [[ "${CLUSTER_TEST_KEEP:-0}" == 1 ]] || rm -rf "$tmp"
    echo "cluster-test: interrupted after $(elapsed) s;" \
      "$([[ $stuck == 0 ]] && echo 'every JVM it started is stopped' || echo 'some processes could not be stopped')"
    exit 130
  fi
  [[ -z "$failure" ]] && failure="exit status $rc"
  [[ -f "$tmp/timed-out" ]] && failure="timed out after ${limit_s} s (CLUSTER_TEST_TIMEOUT_S)"
  show_tails
  echo "cluster-test: FAIL after $(elapsed) s: $failure (logs and data kept in $tmp)"
  [[ $rc == 0 ]] && rc=1
  exit "$rc"
}
trap on_exit EXIT
trap 'failure="${failure:-line $LINENO: '"'"'$BASH_COMMAND'"'"' failed}"' ERR
trap 'exit 130' INT
trap 'failure="${failure:-terminated (SIGTERM)}"; exit 143' TERM

fail() { failure="$*"; exit 1; }
untail() {  # drops log $1 from $tails (its step passed)
  local kept=() f
  for f in "${tails[@]}"; do [[ "$f" == "$1" ]] || kept+=("$f"); done
  tails=("${kept[@]}")
}

# Starts "$@" with $marker, in a session of its own (Ctrl-C reaches this script, whose trap stops it), its output in
# log $1; sets $started to its pid.
start() {
  local log="$1"; shift
  env "$marker" setsid "$@" >"$log" 2>&1 </dev/null &
  started=$!
}

# Waits for pid $1 (started by start); returns its exit status. (The watchdog below bounds every wait.)
finish() {
  local rc=0
  wait "$1" || rc=$?
  return "$rc"
}

# The watchdog: after the limit, TERM to this script (whose trap stops everything).
start "$logs/watchdog.log" bash -c "sleep $limit_s; touch '$tmp/timed-out'; kill -TERM $$"

# --- jars ----------------------------------------------------------------------------------------------------------
target="$root/examples/target"
cli_jar() { ls "$target"/training-inputs-cli-spark4.1_*.jar 2>/dev/null | head -n 1 || true; }
runtime_jar() { ls "$root"/runtime/target/training-inputs-spark4.1_*.jar 2>/dev/null | head -n 1 || true; }
if [[ -z "$(cli_jar)" || -z "$(runtime_jar)" || ! -s "$target/spark-classpath.txt" ]]; then
  say "building the jars and Spark's class path (mvn package, as bin/training-inputs does; log: $logs/build.log)"
  tails+=("$logs/build.log")
  start "$logs/build.log" mvn -B -q -Dstyle.color=never -f "$root/pom.xml" -pl runtime,examples -am package \
    -DskipTests dependency:build-classpath -Dmdep.outputFile=target/spark-classpath.txt -DincludeScope=runtime \
    -DexcludeGroupIds=io.traininputs -DexcludeArtifactIds=picocli
  finish "$started" || fail "the build failed"
  untail "$logs/build.log"
fi
cli="$(cli_jar)"
runtime="$(runtime_jar)"
[[ -n "$cli" && -n "$runtime" ]] || fail "no CLI jar or runtime jar after the build"

# --- stand-in SPARK_HOME -------------------------------------------------------------------------------------------
export SPARK_HOME="$tmp/spark"
export SPARK_SCALA_VERSION=2.13
export SPARK_LOCAL_IP=127.0.0.1
export SPARK_LOCAL_DIRS="$tmp/local"
mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/conf" "$SPARK_LOCAL_DIRS"
mapfile -t spark_jars < <(tr ':' '\n' <"$target/spark-classpath.txt")
for jar in "${spark_jars[@]}"; do ln -s "$jar" "$SPARK_HOME/jars/"; done
spark_version="$(basename "$(ls "$SPARK_HOME"/jars/spark-core_2.13-*.jar)" .jar)"
spark_version="${spark_version#spark-core_2.13-}"
echo "Spark $spark_version: a stand-in made by .ci/cluster-test.sh from the jars Maven resolves" >"$SPARK_HOME/RELEASE"
# Quiet, except the lines the test reads: the Master's URL, executor launches and exits (Master, Worker), tasks
# started and finished (executors: -Dcluster-test.executor-log=info), lost executors and tasks (driver: WARN `Lost
# task`, or INFO `... its executor exited ...` for a task the driver still saw launching).
cat >"$SPARK_HOME/conf/log4j2.properties" <<'EOF'
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = stderr
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n
logger.spark.name = org.apache.spark
logger.spark.level = error
logger.hadoop.name = org.apache.hadoop
logger.hadoop.level = error
logger.parquet.name = org.apache.parquet
logger.parquet.level = error
logger.master.name = org.apache.spark.deploy.master.Master
logger.master.level = info
logger.worker.name = org.apache.spark.deploy.worker.Worker
logger.worker.level = info
logger.executor.name = org.apache.spark.executor.Executor
logger.executor.level = ${sys:cluster-test.executor-log:-warn}
logger.tsm.name = org.apache.spark.scheduler.TaskSetManager
logger.tsm.level = info
logger.tsm.filter.lost.type = RegexFilter
logger.tsm.filter.lost.regex = .*(Lost task|its executor exited).*
logger.tsm.filter.lost.onMatch = ACCEPT
logger.tsm.filter.lost.onMismatch = DENY
EOF
spark_cp="$SPARK_HOME/conf:$SPARK_HOME/jars/*"
mapfile -t jvm_options < <(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$root/bin/jvm-options")
# Every JVM's temp files (native libraries Spark's codecs unpack, ...) in the temp dir, none in /tmp.
mkdir -p "$tmp/jvm-tmp"
jvm_options+=("-Djava.io.tmpdir=$tmp/jvm-tmp" -XX:-UsePerfData)
daemon_java=(java "${jvm_options[@]}" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$spark_cp")
executor_options="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Djava.io.tmpdir=$tmp/jvm-tmp"
executor_options+=" -Dcluster-test.executor-log=info"

# --- the cluster (it starts while the input is generated) ----------------------------------------------------------
say "starting a Spark $spark_version standalone cluster on 127.0.0.1 (1 master, 2 workers of 1 core, 1g) in $tmp"
tails+=("$logs/master.log")
start "$logs/master.log" "${daemon_java[@]}" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port 0 --webui-port 0
master_pid=$started

# submit LOG MASTER [SPARK-SUBMIT OPTIONS] -- CLI ARGS: the CLI under SparkSubmit, as spark-submit runs it
submit() {
  local log="$1" master="$2" options=()
  shift 2
  while [[ "$1" != -- ]]; do options+=("$1"); shift; done
  shift
  start "$log" java "${jvm_options[@]}" -Xmx1g -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$spark_cp" \
    org.apache.spark.deploy.SparkSubmit \
    --master "$master" --deploy-mode client --jars "$runtime" \
    --conf spark.sql.extensions=io.traininputs.catalyst.TrainingInputsExtensions \
    --conf spark.ui.enabled=false --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
    --conf spark.sql.shuffle.partitions=8 \
    --conf "spark.executor.extraJavaOptions=$executor_options" \
    "${options[@]}" \
    --class io.traininputs.cli.TrainingInputsCli "$cli" "$@"
}

data="$tmp/data"
tails+=("$logs/generate.log")
submit "$logs/generate.log" 'local[2]' -- generate --customers "$customers" --input-format parquet --out "$data/in"
generate_pid=$started

master_url=""
for _ in $(seq 300); do
  master_url="$(sed -n 's/.*Starting Spark master at \(spark:\/\/[0-9.:]*\).*/\1/p' "$logs/master.log" | head -n 1)"
  [[ -n "$master_url" ]] && break
  kill -0 "$master_pid" 2>/dev/null || fail "the master exited"
  sleep 0.1
done
[[ -n "$master_url" ]] || fail "the master did not start in 30 s"
worker_pids=()
for w in 1 2; do
  tails+=("$logs/worker-$w.log")
  start "$logs/worker-$w.log" "${daemon_java[@]}" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --port 0 --webui-port 0 --cores 1 --memory 1g --work-dir "$tmp/work-$w" "$master_url"
  worker_pids+=("$started")
done

finish "$generate_pid" || fail "generate failed"
untail "$logs/generate.log"
say "generated $customers customers ($(du -sh "$data/in" | cut -f1) of Parquet)"

# --- the reference run (local[2]) and the cluster run, at the same time ---------------------------------------------
inputs=(--impressions "$data/in/impressions" --clicks "$data/in/clicks" --atc "$data/in/atc" --orders "$data/in/orders"
  --max-actions "$max_actions")
mkdir -p "$data/local" "$data/cluster"
tails+=("$logs/local.log")
submit "$logs/local.log" 'local[2]' -- run "${inputs[@]}" --out "$data/local/out"
local_pid=$started
for _ in $(seq 300); do
  [[ "$(grep -c 'Registering worker' "$logs/master.log")" -ge 2 ]] && break
  sleep 0.1
done
[[ "$(grep -c 'Registering worker' "$logs/master.log")" -ge 2 ]] || fail "the two workers did not register in 30 s"
tails+=("$logs/driver.log")
submit "$logs/driver.log" "$master_url" --conf spark.scheduler.minRegisteredResourcesRatio=1.0 \
  --conf spark.scheduler.maxRegisteredResourcesWaitingTime=60s -- run "${inputs[@]}" --out "$data/cluster/out" --explain
driver_pid=$started
say "reference run (local[2]) started; cluster run submitted to $master_url"

executor_logs() { ls "$tmp"/work-*/app-*/*/stderr 2>/dev/null || true; }
declare -A exec_pid=()   # executor log (work-W/APP/ID/stderr) -> pid of that executor's JVM
find_executor_pids() {   # fills exec_pid for the logs of executors not seen before
  local f id app w
  for f in $(executor_logs); do
    [[ -n "${exec_pid[$f]:-}" ]] && continue
    id="$(basename "$(dirname "$f")")"
    app="$(basename "$(dirname "$(dirname "$f")")")"
    w="$(dirname "$(dirname "$(dirname "$f")")")"
    w="${w##*-}"
    exec_pid[$f]="$(pgrep -g "${worker_pids[$(( w - 1 ))]}" \
      -f "CoarseGrainedExecutorBackend .*--executor-id $id .*--app-id $app" || true)"
  done
}
# Sets hit_log and hit_task (e.g. "task 3.0 in stage 13.0 (TID 25)") to a task in flight on a live executor: one
# whose log's last task line is `Running task` (1 core: one task at a time). $1: the TID it must have, or empty.
task_in_flight() {
  local f last
  for f in "${!exec_pid[@]}"; do
    [[ -n "${exec_pid[$f]}" ]] && kill -0 "${exec_pid[$f]}" 2>/dev/null || continue
    last="$(grep -E 'Executor: (Running|Finished) task' "$f" | tail -n 1)" || true
    [[ "$last" == *"Running task"* && ( -z "$1" || "$last" == *"(TID $1)" ) ]] || continue
    hit_log="$f"
    hit_task="${last#*Running }"
    return 0
  done
  return 1
}
kill_exec=()
kill_task=()
# kill_hit N WHY...: kill -9, as kill N, the executor of hit_log while it still runs hit_task. The JVM is first
# stopped (SIGSTOP), so that the task cannot finish between the check and the kill; then, once its Worker has copied
# what it had written to its log, SIGKILL if the log has no `Finished` line for the task, else SIGCONT and return 1.
kill_hit() {
  local n="$1" pid="${exec_pid[$hit_log]}"
  shift
  kill -STOP "$pid" 2>/dev/null || return 1
  sleep 0.2
  if grep -qF "Finished $hit_task" "$hit_log"; then
    kill -CONT "$pid" 2>/dev/null || true
    return 1
  fi
  kill -KILL "$pid"
  kill_exec[$n]="$(basename "$(dirname "$hit_log")")"
  kill_task[$n]="$hit_task"
  app_id="$(basename "$(dirname "$(dirname "$hit_log")")")"
  say "kill $n: executor ${kill_exec[$n]} (pid $pid) got SIGKILL during $hit_task, $*"
}

# Kill 1: at the run's first task, so that its replacement joins with most of the job still to run. Kill 2: during a
# task of the write stage (the as-of operator and the format's writer) that has already staged files of its own.
# After each, the driver must report the executor lost before the next.
now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }
declare -A first_seen=()
n=1
while kill -0 "$driver_pid" 2>/dev/null && [[ $n -le 2 ]]; do
  find_executor_pids
  if [[ -n "${kill_exec[$n]:-}" ]]; then
    grep -q "Lost executor ${kill_exec[$n]} " "$logs/driver.log" && n=$(( n + 1 ))
  elif [[ $n == 1 ]]; then
    # a task seen running for 1 s: the driver has heard from it (else it counts the loss as the executor's alone)
    if task_in_flight ''; then
      [[ -n "${first_seen[$hit_task]:-}" ]] || first_seen[$hit_task]="$(now_ms)"
      if [[ $(( $(now_ms) - ${first_seen[$hit_task]} )) -ge 1000 ]]; then kill_hit 1 "the run's first task" || true; fi
    fi
  else
    for dir in $(find "$data/cluster" -type d -path '*/_staging/*' -name 'task-*-*' 2>/dev/null); do
      if task_in_flight "${dir##*-}" && kill_hit 2 "a write task, with $(find "$dir" -type f | wc -l) file(s)" \
        "staged in ${dir#"$data"/}"; then
        break
      fi
    done
  fi
  sleep 0.1
done
driver_rc=0
finish "$driver_pid" || driver_rc=$?
[[ $driver_rc == 0 ]] || fail "the cluster run failed (exit status $driver_rc)"
say "cluster run done: $(grep -m1 'output rows' "$logs/driver.log" | tr -s ' '), $(grep -m1 'wall time' \
  "$logs/driver.log" | tr -s ' ')"
[[ -n "${kill_exec[1]:-}" ]] || fail "the cluster run ended before an executor could be killed during a task"
[[ -n "${kill_exec[2]:-}" ]] || fail "the cluster run ended before kill 2: no write task was seen running with files"
finish "$local_pid" || fail "the reference run (local[2]) failed"
say "reference run (local[2]) done: $(grep -m1 'output rows' "$logs/local.log" | tr -s ' '), $(grep -m1 'wall time' \
  "$logs/local.log" | tr -s ' ')"

# --- the checks ----------------------------------------------------------------------------------------------------
for f in $(executor_logs); do tails+=("$f"); done
for n in 1 2; do
  id="${kill_exec[$n]}"
  task="${kill_task[$n]}"                          # "task 3.0 in stage 13.0 (TID 25)"
  grep -q "Lost executor $id " "$logs/driver.log" || fail "kill $n: the driver did not log 'Lost executor $id'"
  grep -qF "Lost $task (127.0.0.1 executor $id)" "$logs/driver.log" \
    || grep -qF "$task failed because while it was being computed, its executor exited" "$logs/driver.log" \
    || fail "kill $n: the driver did not log 'Lost $task' on executor $id"
  grep -qE "Executor $app_id/$id finished with state .*exitStatus 137" "$logs"/worker-*.log \
    || fail "kill $n: no Worker saw executor $id exit with status 137"
  partition="${task#task }"
  partition="${partition%%.*}"
  stage="${task#* in stage }"
  stage="${stage%%.*}"
  # shellcheck disable=SC2046 # one word per log path (no spaces in them)
  runs="$(cat $(executor_logs) | grep -cE "Running task $partition\.[0-9]+ in stage $stage\.[0-9]+ " || true)"
  [[ "$runs" -ge 2 ]] || fail "kill $n: task $partition of stage $stage was not run again after executor $id was lost"
  retried[$n]="task $partition of stage $stage ran $runs times"
done
mapfile -t launched < <(sed -n "s/.*Launching executor $app_id\/\([0-9]*\) .*/\1/p" "$logs/master.log")
[[ ${#launched[@]} -ge 4 ]] \
  || fail "the master launched ${#launched[@]} executors (${launched[*]}), not 2 and 2 replacements"
replacement="${launched[2]}"
replacement_log="$(ls "$tmp"/work-*/"$app_id/$replacement/stderr")"
replacement_tasks="$(grep -c 'Executor: Running task' "$replacement_log" || true)"
[[ "$replacement_tasks" -ge 1 ]] \
  || fail "executor $replacement, the first replacement executor, ran no task"
say "both kills recovered: executors ${launched[*]} launched; executor $replacement (the first replacement) ran" \
  "$replacement_tasks tasks; ${retried[1]}, ${retried[2]}"

grep -q '^history plan .*extension: AsOfContextHistory, AsOfEventPack' "$logs/driver.log" \
  || fail "the cluster run's summary does not name the extension's plan (history plan line)"
grep -qE '^ *(\+- )?AsOfContextHistory ' "$logs/driver.log" && grep -qE '\+- AsOfEventPack ' "$logs/driver.log" \
  || fail "the cluster run's --explain plans lack AsOfContextHistory / AsOfEventPack"
[[ -f "$data/cluster/out/_SUCCESS" ]] || fail "the cluster run published no output"

tails+=("$logs/diff.log")
start "$logs/diff.log" java "${jvm_options[@]}" -Xmx1g -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$spark_cp" \
  "$root/.ci/ClusterOutputDiff.java" "$data/local/out" "$data/cluster/out"
finish "$started" || fail "the cluster output differs from the local[2] one: $(grep -m1 '^rows\|^schemas' \
  "$logs/diff.log" || echo 'see diff.log')"
say "outputs identical: $(grep -m1 '^rows' "$logs/diff.log")"

stop_all
say "cluster stopped"
echo "cluster-test: PASS in $(elapsed) s ($customers customers; executors ${kill_exec[1]} and ${kill_exec[2]} killed" \
  "during ${kill_task[1]} and ${kill_task[2]} and replaced; the output equals the local[2] run's; the plans use" \
  "AsOfContextHistory and AsOfEventPack)"
