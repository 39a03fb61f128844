suppressPackageStartupMessages({library(survival); library(jsonlite)})
## Reference values for counting-process (start, stop] data: Cox fits with delayed entry and time-dependent
## covariates, and Kaplan-Meier / Nelson-Aalen with entry times. Run from this folder: Rscript startstop.R
## (writes heart.csv and startstop.expected.json)

## Stanford heart transplant data in counting-process form (survival's `heart`, jasa1 layout): one row per
## subject before transplant and one after, transplant a time-dependent covariate.
h <- survival::heart
h$surgery <- as.integer(h$surgery)
h$transplant <- as.integer(as.character(h$transplant))
out <- data.frame(id = h$id, start = sprintf("%.17g", h$start), stop = sprintf("%.17g", h$stop), event = h$event,
                  age = sprintf("%.17g", h$age), year = sprintf("%.17g", h$year), surgery = h$surgery, transplant = h$transplant)
write.csv(out, "heart.csv", row.names = FALSE, quote = FALSE)
heart <- read.csv("heart.csv")
stopifnot(isTRUE(all.equal(heart$age, h$age, tolerance = 0)))
## integer case weights 1, 2, 3 in turn by row
heart$w <- 1 + (seq_len(nrow(heart)) - 1) %% 3

cox_summary <- function(fit) {
  list(terms = I(names(coef(fit))), coef = I(unname(coef(fit))), se = I(unname(sqrt(diag(fit$var)))), var = unname(fit$var),
       loglik = fit$loglik, wald = unname(fit$wald.test), score = unname(fit$score),
       concordance = unname(fit$concordance[c("concordance", "std")]), iter = fit$iter, n = fit$n, nevent = fit$nevent)
}
km_table <- function(fit) list(time = fit$time, n_risk = fit$n.risk, n_event = fit$n.event, n_censor = fit$n.censor,
                               surv = fit$surv, std_err_log = fit$std.err, cumhaz = fit$cumhaz,
                               std_chaz = fit$std.chaz, lower = fit$lower, upper = fit$upper)

## fractional case weights 0.5, 1.25, 2 in turn by row (they imply the robust variance, each row its own cluster;
## robust = TRUE without cluster or id is refused for (start, stop] data: "one of cluster or id is needed")
heart$fw <- c(0.5, 1.25, 2)[1 + (seq_len(nrow(heart)) - 1) %% 3]

## the robust variance: the summary plus the model-based variance and the robust score test
robust_summary <- function(fit) c(cox_summary(fit), list(naive_var = unname(fit$naive.var), rscore = unname(fit$rscore)))

## residuals.coxph of every kind, per row of the (start, stop] data; the Schoenfeld kinds per event with its time
residual_set <- function(fit) {
  sch <- residuals(fit, type = "schoenfeld")
  list(martingale = unname(residuals(fit, type = "martingale")), deviance = unname(residuals(fit, type = "deviance")),
       score = unname(residuals(fit, type = "score")), dfbeta = unname(residuals(fit, type = "dfbeta")),
       dfbetas = unname(residuals(fit, type = "dfbetas")), schoenfeld = unname(sch),
       schoenfeld_time = as.numeric(rownames(sch)), scaledsch = unname(residuals(fit, type = "scaledsch")))
}

## survfit.coxph for a new subject (covariates fixed over follow-up): at every distinct stop time
newsubject <- data.frame(age = -5, year = 3, surgery = 1, transplant = 1)
predicted <- function(fit) {
  s <- survfit(fit, newdata = newsubject)
  list(newdata = newsubject, time = s$time, n_risk = s$n.risk, n_event = s$n.event, surv = as.numeric(s$surv),
       std_err = as.numeric(s$std.err), lower = as.numeric(s$lower), upper = as.numeric(s$upper), cumhaz = as.numeric(s$cumhaz))
}

## predict.coxph(type = "lp" | "risk" | "expected") per row of the fit
predict_types <- function(fit) list(lp = unname(predict(fit, type = "lp")), risk = unname(predict(fit, type = "risk")),
                                    expected = unname(predict(fit, type = "expected")))

## cox.zph on the (start, stop] fit: per-term and global score tests, "km" (default) and "identity" transforms
zph_table <- function(fit, transform) {
  z <- cox.zph(fit, transform = transform)
  list(transform = transform, term = rownames(z$table), chisq = unname(z$table[, "chisq"]),
       df = unname(z$table[, "df"]), p = unname(z$table[, "p"]))
}

f <- Surv(start, stop, event) ~ age + year + surgery + transplant
reference <- list(
  weights_rule = "1 + ((row - 1) mod 3), row 1-based",
  fractional_weights_rule = "0.5, 1.25, 2 for (row - 1) mod 3 = 0, 1, 2, row 1-based",
  heart_efron = cox_summary(coxph(f, data = heart)),
  heart_breslow = cox_summary(coxph(f, data = heart, ties = "breslow")),
  heart_strata_efron = cox_summary(coxph(Surv(start, stop, event) ~ age + year + transplant + strata(surgery), data = heart)),
  heart_weighted_efron = cox_summary(coxph(f, data = heart, weights = w)),
  heart_weighted_breslow = cox_summary(coxph(f, data = heart, weights = w, ties = "breslow")),
  heart_cluster_efron = robust_summary(coxph(f, data = heart, cluster = id)),
  heart_cluster_breslow = robust_summary(coxph(f, data = heart, cluster = id, ties = "breslow")),
  heart_fractional_efron = robust_summary(coxph(f, data = heart, weights = fw)),
  ## an offset with clusters (offset = age / 50; the robust score test's null residuals leave the offset out, as coxph)
  heart_offset_cluster_efron = robust_summary(coxph(Surv(start, stop, event) ~ year + surgery + transplant + offset(age / 50),
                                                    data = heart, cluster = id)),
  residuals_efron = residual_set(coxph(f, data = heart)),
  residuals_breslow = residual_set(coxph(f, data = heart, ties = "breslow")),
  residuals_weighted_efron = residual_set(coxph(f, data = heart, weights = w)),
  residuals_strata_efron = residual_set(coxph(Surv(start, stop, event) ~ age + year + transplant + strata(surgery), data = heart)),
  predict_efron = predicted(coxph(f, data = heart)),
  predict_breslow = predicted(coxph(f, data = heart, ties = "breslow")),
  predict_weighted_efron = predicted(coxph(f, data = heart, weights = w)),
  km = km_table(survfit(Surv(start, stop, event) ~ 1, data = heart)),
  km_weighted = km_table(survfit(Surv(start, stop, event) ~ 1, data = heart, weights = w)),
  ## fractional weights make survfit robust (the infinitesimal jackknife, each row its own cluster as no id is given);
  ## robust = TRUE asks for it with the integer weights (R then needs an id: here each row its own)
  km_fractional = km_table(survfit(Surv(start, stop, event) ~ 1, data = heart, weights = fw)),
  km_fractional_by_surgery = lapply(split(seq_len(nrow(heart)), heart$surgery), function(rows)
    km_table(survfit(Surv(start, stop, event) ~ 1, data = heart[rows, ], weights = fw))),
  km_robust_weighted = km_table(survfit(Surv(start, stop, event) ~ 1, data = heart, weights = w, robust = TRUE,
                                         id = seq_len(nrow(heart)))),
  ## predict.coxph without new data, per (start, stop] row: the linear predictor (centred), risk and expected events
  predict_types_efron = predict_types(coxph(f, data = heart)),
  predict_types_strata_efron = predict_types(coxph(Surv(start, stop, event) ~ age + year + transplant + strata(surgery), data = heart)),
  zph_efron = zph_table(coxph(f, data = heart), "km"),
  zph_breslow = zph_table(coxph(f, data = heart, ties = "breslow"), "km"),
  zph_identity_efron = zph_table(coxph(f, data = heart), "identity"),
  zph_weighted_efron = zph_table(coxph(f, data = heart, weights = w), "km"),
  zph_strata_efron = zph_table(coxph(Surv(start, stop, event) ~ age + year + transplant + strata(surgery), data = heart), "km")
)
writeLines(toJSON(reference, digits = NA, auto_unbox = TRUE, null = "null", na = "null", pretty = TRUE), "startstop.expected.json")
