suppressPackageStartupMessages({library(survival); library(jsonlite)})
## Weighted cumulative incidence: the Aalen-Johansen estimate of survfit's multi-state curves on crsynth.csv
## (written by extras.R) with a case-weight column, and R's infinitesimal-jackknife standard errors, which is
## what survfit reports for multi-state data. Run from data/reference: Rscript cifweights.R
cr <- read.csv("crsynth.csv")
set.seed(20261130)
cr$weight <- round(runif(nrow(cr), 0.2, 3), 2)
cr$weight[c(5, 17, 120)] <- 0
write.csv(cr, "crweights.csv", row.names = FALSE, quote = FALSE)
cr <- read.csv("crweights.csv")
aj_curves <- function(fit) {
  strata <- if (is.null(fit$strata)) rep("1", length(fit$time)) else rep(sub("^group=", "", names(fit$strata)), fit$strata)
  curves <- list()
  for (k in fit$states[-1]) for (g in unique(strata)) {
    rows <- strata == g
    j <- match(k, fit$states)
    curves[[length(curves) + 1]] <- list(group = g, cause = k, time = I(fit$time[rows]),
      estimate = I(fit$pstate[rows, j]), std_err = I(fit$std.err[rows, j]))
  }
  curves
}
by_group <- survfit(Surv(time, factor(status)) ~ group, data = cr, weights = weight)
overall <- survfit(Surv(time, factor(status)) ~ 1, data = cr, weights = weight)
## weights of 2 behave as duplicated rows in the estimate (not in the jackknife variance, which treats a row as one subject)
out <- list(meta = list(R_version = R.version.string, survival_version = as.character(packageVersion("survival"))),
  data = "crweights.csv: crsynth.csv with a case-weight column (runif(0.2, 3) rounded to 0.01, seed 20261130; rows 5, 17 and 120 weight 0)",
  call = "survfit(Surv(time, factor(status)) ~ group, weights = weight); std_err is fit$std.err (infinitesimal jackknife); curves cause first, then group",
  by_group = aj_curves(by_group), overall = aj_curves(overall))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"), "cifweights.expected.json")
