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

f <- Surv(start, stop, event) ~ age + year + surgery + transplant
reference <- list(
  weights_rule = "1 + ((row - 1) mod 3), row 1-based",
  heart_efron = cox_summary(coxph(f, data = heart)),
  heart_breslow = cox_summary(coxph(f, data = heart, ties = "breslow")),
  heart_strata_efron = cox_summary(coxph(Surv(start, stop, event) ~ age + year + transplant + strata(surgery), data = heart)),
  heart_weighted_efron = cox_summary(coxph(f, data = heart, weights = w)),
  heart_weighted_breslow = cox_summary(coxph(f, data = heart, weights = w, ties = "breslow")),
  km = km_table(survfit(Surv(start, stop, event) ~ 1, data = heart)),
  km_weighted = km_table(survfit(Surv(start, stop, event) ~ 1, data = heart, weights = w))
)
writeLines(toJSON(reference, digits = NA, auto_unbox = TRUE, null = "null", na = "null", pretty = TRUE), "startstop.expected.json")
