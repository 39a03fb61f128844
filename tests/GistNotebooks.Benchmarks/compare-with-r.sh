#!/usr/bin/env bash
# Times R's survival (3.5-3) and gistnb on the same synthetic files, alternately, and checks that they agree.
# Usage: tests/GistNotebooks.Benchmarks/compare-with-r.sh [REPEATS=5] [SIZES="10000 100000 1000000"]
# Not part of CI. Needs root (or sudo) for apt when R, data.table or GNU time is missing.
set -euo pipefail
REPEATS=${1:-5}
SIZES=${2:-"10000 100000 1000000"}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

missing=()
command -v Rscript >/dev/null || missing+=(r-base-core)
Rscript -e 'library(survival)' >/dev/null 2>&1 || missing+=(r-cran-survival)
Rscript -e 'library(data.table)' >/dev/null 2>&1 || missing+=(r-cran-data.table)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

dotnet build "$ROOT/src/GistNotebooks.Cli" -c Release -v q -nologo >/dev/null
dotnet build "$ROOT/tests/GistNotebooks.Benchmarks" -c Release -v q -nologo >/dev/null
GISTNB="$ROOT/src/GistNotebooks.Cli/bin/Release/net10.0/gistnb"
BENCH="dotnet $ROOT/tests/GistNotebooks.Benchmarks/bin/Release/net10.0/GistNotebooks.Benchmarks.dll"

# R: each step timed in-process on data already read, the same numbers printed as the .NET step timer prints.
cat > "$WORK/steps.R" <<'R'
suppressMessages({library(survival); library(data.table)})
d <- fread(commandArgs(TRUE)[1])
st <- function(name, e) { t0 <- proc.time()[[3]]; r <- e; cat(sprintf("time %s %.4f\n", name, proc.time()[[3]] - t0)); r }
km <- st("km", survfit(Surv(time, status) ~ 1, data = d))
lr <- st("logrank", survdiff(Surv(time, status) ~ x2, data = d))
ef <- st("cox_efron", coxph(Surv(time, status) ~ x1 + x2 + x3, data = d))
br <- st("cox_breslow", coxph(Surv(time, status) ~ x1 + x2 + x3, data = d, ties = "breslow"))
v <- function(name, x) cat(sprintf("value %s %.17g\n", name, x))
s <- summary(km, times = c(1, 5, 10, 20, 40), extend = TRUE)
for (i in seq_along(s$time)) { v(paste0("km_surv_", s$time[i]), s$surv[i]); v(paste0("km_se_", s$time[i]), s$std.err[i]) }
v("km_median", summary(km)$table[["median"]])
v("logrank_chisq", lr$chisq)
for (i in 1:2) v(paste0("logrank_expected_", i - 1), lr$exp[i])
for (m in list(list("efron", ef), list("breslow", br))) {
  for (t in names(coef(m[[2]]))) { v(paste0("cox_", m[[1]], "_coef_", t), coef(m[[2]])[[t]]); v(paste0("cox_", m[[1]], "_se_", t), sqrt(diag(vcov(m[[2]])))[[t]]) }
  v(paste0("cox_", m[[1]], "_loglik"), m[[2]]$loglik[2]); v(paste0("cox_", m[[1]], "_concordance"), m[[2]]$concordance[["concordance"]])
}
R
# R: the whole process, fread and one analysis, as a user would run it.
cat > "$WORK/whole.R" <<'R'
suppressMessages({library(survival); library(data.table)})
a <- commandArgs(TRUE); d <- fread(a[2])
r <- switch(a[1], km = summary(survfit(Surv(time, status) ~ 1, data = d)), logrank = survdiff(Surv(time, status) ~ x2, data = d),
  cox = summary(coxph(Surv(time, status) ~ x1 + x2 + x3, data = d)))
invisible(capture.output(print(r)))
R

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# Wall seconds and peak resident memory (MB) of one command, from GNU time.
measure() { /usr/bin/time -f "%e %M" -o "$WORK/t" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; exit 1; }; awk '{printf "%s %.0f\n", $1, $2/1024}' "$WORK/t"; }

printf '\n%-9s %-26s %10s %10s %7s %9s %9s\n' n step R_s gistnb_s ratio R_MB gistnb_MB
status=0
for n in $SIZES; do
  file="$WORK/synthetic-$n.csv"
  $BENCH generate "$n" "$file"
  : > "$WORK/r-steps"; : > "$WORK/g-steps"
  for step in km logrank cox; do : > "$WORK/r-$step"; : > "$WORK/g-$step"; done
  for ((i = 1; i <= REPEATS; i++)); do
    Rscript "$WORK/steps.R" "$file" > "$WORK/r-out"; grep '^time' "$WORK/r-out" >> "$WORK/r-steps"
    $BENCH steps "$file" > "$WORK/g-out"; grep '^time' "$WORK/g-out" | grep -v ' read ' >> "$WORK/g-steps"
    for step in km logrank cox; do
      case $step in
        km) args=(analyze km --event status) ;;
        logrank) args=(analyze logrank --event status --group x2) ;;
        cox) args=(analyze cox --event status --covariates x1,x2,x3) ;;
      esac
      measure Rscript "$WORK/whole.R" "$step" "$file" >> "$WORK/r-$step"
      measure "$GISTNB" "${args[@]}" --data "$file" --time time --format json >> "$WORK/g-$step"
    done
  done
  for step in km logrank cox_efron cox_breslow; do
    r=$(awk -v s=$step '$2 == s {print $3}' "$WORK/r-steps" | median)
    g=$(awk -v s=$step '$2 == s {print $3}' "$WORK/g-steps" | median)
    printf '%-9s %-26s %10.3f %10.3f %7.3f\n' "$n" "$step (computation)" "$r" "$g" "$(echo "$g / $r" | bc -l)"
  done
  for step in km logrank cox; do
    r=$(awk '{print $1}' "$WORK/r-$step" | median); g=$(awk '{print $1}' "$WORK/g-$step" | median)
    rm=$(awk '{print $2}' "$WORK/r-$step" | median); gm=$(awk '{print $2}' "$WORK/g-$step" | median)
    printf '%-9s %-26s %10.3f %10.3f %7.3f %9.0f %9.0f\n' "$n" "$step (whole process)" "$r" "$g" "$(echo "$g / $r" | bc -l)" "$rm" "$gm"
  done
  # Agreement: every number printed by both, to 1e-6 relative.
  join <(grep '^value' "$WORK/r-out" | awk '{print $2, $3}' | sort) <(grep '^value' "$WORK/g-out" | awk '{print $2, $3}' | sort) \
    | awk -v n="$n" '{ d = $2 - $3; if (d < 0) d = -d; s = ($2 < 0 ? -$2 : $2); rel = (s > 0 ? d / s : d); if (rel > worst) { worst = rel; name = $1 }; if (rel > 1e-6) bad++ }
      END { printf "%-9s agreement: %d numbers compared, largest relative difference %.2g (%s)%s\n", n, NR, worst, name, (bad ? ", " bad " above 1e-6" : ""); exit (bad > 0) }' || status=1
done
exit $status
