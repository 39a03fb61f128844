suppressPackageStartupMessages({library(survival); library(jsonlite)})
## Reference values for R's time handling (aeqSurv), fractional and zero case weights, robust and cluster
## variances, and the residuals of coxph. Run from this folder: Rscript coxph.R
## (writes timefix.csv and coxph.expected.json)

aml <- read.csv("aml.csv")
aml$x <- factor(aml$x, levels = c("Maintained", "Nonmaintained"))
ovarian <- read.csv("ovarian.csv")
veteran <- read.csv("veteran.csv")
veteran$celltype <- factor(veteran$celltype, levels = c("squamous", "smallcell", "adeno", "large"))

## --- near-equal times ---------------------------------------------------------------------------
## Times computed two ways, k*0.1 in one group and k/10 in the other: equal in exact arithmetic, unequal in
## floating point for many k. Written with 17 significant digits so that the CSV keeps the difference.
set.seed(20261130)
n <- 60
k <- sample(1:25, n, replace = TRUE)
grp <- rep(c(1, 2), each = n / 2)
time <- ifelse(grp == 1, k * 0.1, k / 10)
event <- rbinom(n, 1, 0.7)
z <- round(rnorm(n) + 0.4 * (grp == 2), 2)
tf <- data.frame(time = sprintf("%.17g", time), event = event, grp = grp, z = z)
write.csv(tf, "timefix.csv", row.names = FALSE, quote = FALSE)
tf <- read.csv("timefix.csv")
stopifnot(identical(tf$time, time))

km_table <- function(fit) list(time = fit$time, n_risk = fit$n.risk, n_event = fit$n.event, surv = fit$surv,
                               std_err_log = fit$std.err, cumhaz = fit$cumhaz, std_chaz = fit$std.chaz,
                               lower = fit$lower, upper = fit$upper)
summary_km <- function(fit) { s <- summary(fit); list(time = s$time, surv = s$surv, std_err = s$std.err) }
cox_summary <- function(fit) {
  list(terms = I(names(coef(fit))), coef = I(unname(coef(fit))), se = I(unname(sqrt(diag(fit$var)))), var = unname(fit$var),
       naive_var = if (is.null(fit$naive.var)) NULL else unname(fit$naive.var),
       loglik = fit$loglik, wald = unname(fit$wald.test), score = unname(fit$score),
       robust_score = if (is.null(fit$rscore)) NULL else drop(unname(fit$rscore)),
       concordance = unname(fit$concordance[c("concordance", "std")]), iter = fit$iter, n = fit$n, nevent = fit$nevent)
}
sdiff <- function(fit) list(chisq = fit$chisq, observed = unname(fit$obs), expected = unname(fit$exp))

timefix <- list(
  distinct_times_fixed = length(unique(aeqSurv(Surv(tf$time, tf$event))[, 1])),
  distinct_times_raw = length(unique(tf$time)),
  km = km_table(survfit(Surv(time, event) ~ 1, data = tf)),
  km_no_timefix = km_table(survfit(Surv(time, event) ~ 1, data = tf, timefix = FALSE)),
  survdiff = sdiff(survdiff(Surv(time, event) ~ grp, data = tf)),
  ## survdiff(timefix = FALSE) fails in 3.5-3 (the argument reaches model.frame); the times replaced by the ranks of
  ## the distinct raw values give the same test without near ties
  survdiff_no_timefix = sdiff(survdiff(Surv(match(time, sort(unique(time))), event) ~ grp, data = tf)),
  cox = cox_summary(coxph(Surv(time, event) ~ grp + z, data = tf)),
  cox_no_timefix = cox_summary(coxph(Surv(time, event) ~ grp + z, data = tf, timefix = FALSE)),
  concordance = unname(concordance(Surv(time, event) ~ z, data = tf)$concordance)
)

## --- fractional case weights ----------------------------------------------------------------------
## weights 1, 1.25, 1.5, 1.75 in turn by row
ovarian$w <- 1 + ((seq_len(nrow(ovarian)) - 1) %% 4) / 4
aml$w <- 1 + ((seq_len(nrow(aml)) - 1) %% 4) / 4
fractional <- list(
  weights_rule = "1 + ((row - 1) mod 4) / 4, row 1-based",
  ovarian_cox_efron = cox_summary(coxph(Surv(time, event) ~ age + ecog.ps + rx, data = ovarian, weights = w)),
  aml_cox_efron = cox_summary(coxph(Surv(time, event) ~ x, data = aml, weights = w)),
  aml_cox_breslow = cox_summary(coxph(Surv(time, event) ~ x, data = aml, weights = w, ties = "breslow")),
  aml_km = km_table(survfit(Surv(time, event) ~ 1, data = aml, weights = w)),
  aml_km_summary = summary_km(survfit(Surv(time, event) ~ 1, data = aml, weights = w)),
  aml_km_by_group = lapply(split(aml, aml$x), function(d) km_table(survfit(Surv(time, event) ~ 1, data = d, weights = w)))
)

## --- clusters and robust = TRUE -------------------------------------------------------------------
veteran$cl <- (seq_len(nrow(veteran)) - 1) %/% 3
robust <- list(
  cluster_rule = "cluster = (row - 1) div 3, row 1-based",
  veteran_cluster_efron = cox_summary(coxph(Surv(time, event) ~ trt + karno + age + celltype, data = veteran, cluster = cl)),
  veteran_cluster_breslow = cox_summary(coxph(Surv(time, event) ~ trt + karno + age + celltype, data = veteran, cluster = cl, ties = "breslow")),
  veteran_robust_efron = cox_summary(coxph(Surv(time, event) ~ trt + karno + age + celltype, data = veteran, robust = TRUE)),
  ovarian_robust_strata = cox_summary(coxph(Surv(time, event) ~ age + ecog.ps + strata(rx), data = ovarian, robust = TRUE))
)

## --- residuals ----------------------------------------------------------------------------------------
resid_all <- function(fit) {
  m <- function(x) unname(as.matrix(x))
  list(terms = I(names(coef(fit))), martingale = unname(residuals(fit, "martingale")), deviance = unname(residuals(fit, "deviance")),
       score = m(residuals(fit, "score")), dfbeta = m(residuals(fit, "dfbeta")), dfbetas = m(residuals(fit, "dfbetas")),
       schoenfeld = m(residuals(fit, "schoenfeld")), scaledsch = m(residuals(fit, "scaledsch")),
       schoenfeld_time = as.numeric(rownames(as.matrix(residuals(fit, "schoenfeld")))),
       ## predict.coxph without new data (reference = "strata", its default: a stratified fit centres by stratum means)
       lp = unname(predict(fit, type = "lp")), risk = unname(predict(fit, type = "risk")),
       expected = unname(predict(fit, type = "expected")))
}
residuals_ref <- list(
  veteran_efron = resid_all(coxph(Surv(time, event) ~ trt + karno + age + celltype, data = veteran)),
  veteran_breslow = resid_all(coxph(Surv(time, event) ~ trt + karno + age + celltype, data = veteran, ties = "breslow")),
  aml_efron = resid_all(coxph(Surv(time, event) ~ x, data = aml)),
  ## strata levels in alphabetical order, the order in which the C# library sorts labels
  veteran_strata_efron = resid_all(coxph(Surv(time, event) ~ karno + age + strata(as.character(celltype)), data = veteran)),
  ovarian_weighted_efron = resid_all(coxph(Surv(time, event) ~ age + ecog.ps + rx, data = ovarian, weights = round(w * 2)))
)

## --- predicted survival curves (survfit.coxph) --------------------------------------------------------------
curve <- function(sf) {
  one <- function(i) list(time = sf$time, n_risk = sf$n.risk, cumhaz = as.matrix(sf$cumhaz)[, i], surv = as.matrix(sf$surv)[, i],
                          std_err = as.matrix(sf$std.err)[, i], lower = as.matrix(sf$lower)[, i], upper = as.matrix(sf$upper)[, i])
  lapply(seq_len(ncol(as.matrix(sf$surv))), one)
}
strata_curves <- function(sf) lapply(seq_along(sf$strata), function(k) { s <- sf[k]; c(list(stratum = names(sf$strata)[k]), curve(s)[[1]]) })
vfit_e <- coxph(Surv(time, event) ~ trt + karno + age + celltype, data = veteran)
vfit_b <- coxph(Surv(time, event) ~ trt + karno + age + celltype, data = veteran, ties = "breslow")
vnew <- data.frame(trt = c(1, 2), karno = c(60, 80), age = c(50, 65), celltype = factor(c("adeno", "squamous"), levels = levels(veteran$celltype)))
ofit_s <- coxph(Surv(time, event) ~ age + ecog.ps + strata(rx), data = ovarian)
predictions <- list(
  veteran_new = list(trt = I(vnew$trt), karno = I(vnew$karno), age = I(vnew$age), celltype = I(as.character(vnew$celltype))),
  veteran_efron = curve(survfit(vfit_e, newdata = vnew)),
  veteran_breslow = curve(survfit(vfit_b, newdata = vnew)),
  veteran_efron_baseline = curve(survfit(vfit_e))[[1]],
  aml_efron_baseline = curve(survfit(coxph(Surv(time, event) ~ x, data = aml)))[[1]],
  ovarian_strata_new = list(age = 60, ecog.ps = 1),
  ovarian_strata = strata_curves(survfit(ofit_s, newdata = data.frame(age = 60, ecog.ps = 1))),
  ovarian_weighted_new = list(age = 55, ecog.ps = 2, rx = 1),
  ovarian_weighted_robust = curve(survfit(coxph(Surv(time, event) ~ age + ecog.ps + rx, data = ovarian, weights = w),
                                          newdata = data.frame(age = 55, ecog.ps = 2, rx = 1)))[[1]]
)

## --- stand-alone concordance and anova of nested fits ---------------------------------------------------------
conc <- function(fit) list(concordance = fit$concordance, se = sqrt(fit$var), count = I(unname(fit$count)))
concordance_ref <- list(
  veteran_karno = conc(concordance(Surv(time, event) ~ karno, data = veteran)),
  veteran_karno_reverse = conc(concordance(Surv(time, event) ~ karno, data = veteran, reverse = TRUE)),
  ovarian_age_strata = conc(concordance(Surv(time, event) ~ age + strata(rx), data = ovarian)),
  aml_weighted_time = conc(concordance(Surv(time, event) ~ w, data = aml, weights = w))
)
small <- coxph(Surv(time, event) ~ trt + karno, data = veteran)
large <- coxph(Surv(time, event) ~ trt + karno + age + celltype, data = veteran)
av <- anova(small, large)
anova_ref <- list(loglik = I(av$loglik), chisq = av$Chisq[2], df = av$Df[2], p = av[["Pr(>|Chi|)"]][2])

## --- offsets ---------------------------------------------------------------------------------------------------
ofit <- coxph(Surv(time, event) ~ karno + trt + offset(age / 50), data = veteran)
offsets <- list(rule = "offset = age / 50", veteran_efron = cox_summary(ofit),
                martingale = unname(residuals(ofit, "martingale")),
                lp = unname(predict(ofit, type = "lp")), risk = unname(predict(ofit, type = "risk")),
                veteran_breslow = cox_summary(coxph(Surv(time, event) ~ karno + trt + offset(age / 50), data = veteran, ties = "breslow")),
                ## with clusters: coxph takes the null score residuals of the robust score test at linear.predictors = 0,
                ## so without the offset
                veteran_cluster_efron = cox_summary(coxph(Surv(time, event) ~ karno + trt + offset(age / 50), data = veteran, cluster = cl)))

## --- iterations at the limit, conditional survival ------------------------------------------------------
iter_fit <- suppressWarnings(coxph(Surv(time, event) ~ trt + karno + age + celltype, data = veteran, iter.max = 3, eps = 1e-20))
conditional <- list(
  aml_start_time_8 = summary(survfit(Surv(time, event) ~ 1, data = aml, start.time = 8), times = c(8, 12, 20, 30, 45))$surv,
  times = c(8, 12, 20, 30, 45)
)

out <- list(
  meta = list(R_version = R.version.string, survival_version = as.character(packageVersion("survival")),
              jsonlite_version = as.character(packageVersion("jsonlite")),
              note = "Every Cox fit: coxph defaults (Efron ties, timefix = TRUE) unless named."),
  timefix = timefix, fractional_weights = fractional, robust = robust, residuals = residuals_ref,
  predictions = predictions, offsets = offsets, concordance = concordance_ref, anova = anova_ref,
  iterations = list(iter_max = 3, iter = iter_fit$iter, coef = unname(coef(iter_fit))),
  conditional = conditional
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"), "coxph.expected.json")
