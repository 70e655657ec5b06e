#!/bin/bash
# Submits `oxyscope report` as a SLURM array of N tasks and a merge job that runs when all of them succeeded.
#   CALCS=calcs/ [OUT=oxyscope-shards] [OXYSCOPE=oxyscope] examples/hpc/submit.sh N [sbatch options…]
# Prints the array's and the merge job's ids. Extra options (--partition, --account …) go to both jobs.
set -euo pipefail
N=${1:?usage: CALCS=folder submit.sh N [sbatch options]}
shift
: "${CALCS:?set CALCS to the folder of calculations}"
export CALCS OUT=${OUT:-oxyscope-shards} OXYSCOPE=${OXYSCOPE:-oxyscope}
here=$(cd "$(dirname "$0")" && pwd)

mkdir -p "$OUT"
# shards of an earlier run with more tasks would join the merge
rm -f "$OUT"/shard-*.jsonl
array=$(sbatch --parsable --array=0-$((N - 1)) "$@" "$here/report-array.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --dependency=afterok:"$array" "$@" "$here/merge.sbatch")
echo "array $array"
echo "merge ${merge%%;*}"
