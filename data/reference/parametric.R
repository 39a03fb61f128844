suppressPackageStartupMessages({library(survival); library(jsonlite); library(cmprsk)})
## Reference values for parametric survival models (survreg) and Fine-Gray regression (cmprsk::crr).
## Run from this folder: Rscript parametric.R  (writes lung.csv, crcov.csv and parametric.expected.json)

## --- data ---------------------------------------------------------------------------------------
## survival::lung with a 0/1 event column; NA written as an empty field
lung0 <- survival::lung
lung0$event <- lung0$status - 1
write.csv(lung0, "lung.csv", row.names = FALSE, quote = FALSE, na = "")
lung <- read.csv("lung.csv")
lung$ph.ecog <- factor(lung$ph.ecog)
ovarian <- read.csv("ovarian.csv")
veteran <- read.csv("veteran.csv")
veteran$celltype <- factor(veteran$celltype, levels = c("squamous", "smallcell", "adeno", "large"))

## a competing-risks data set with covariates (one of them a factor) and tied times
set.seed(20261203)
n <- 300
x1 <- round(rnorm(n), 2)
x2 <- sample(c("a", "b", "c"), n, replace = TRUE)
x3 <- rbinom(n, 1, 0.4)
t1 <- rexp(n, 0.10 * exp(0.5 * x1 + 0.4 * (x2 == "b") - 0.3 * (x2 == "c")))
t2 <- rexp(n, 0.08 * exp(-0.3 * x1 + 0.5 * x3))
cens <- runif(n, 0, 20)
time <- round(pmin(t1, t2, cens), 1); time[time == 0] <- 0.1
status <- ifelse(cens < pmin(t1, t2), 0, ifelse(t1 < t2, 1, 2))
write.csv(data.frame(time = time, status = status, x1 = x1, x2 = x2, x3 = x3), "crcov.csv", row.names = FALSE, quote = FALSE)
crcov <- read.csv("crcov.csv")
crsynth <- read.csv("crsynth.csv")

## --- survreg ------------------------------------------------------------------------------------
dists <- c("weibull", "exponential", "lognormal", "loglogistic", "gaussian", "logistic")
probs <- c(0.1, 0.5, 0.9)

## survival at chosen times with the delta-method standard error on (beta, log scale) and limits on the z scale
survival_at <- function(fit, x, times, level = 0.95) {
  dd <- survreg.distributions[[fit$dist]]
  trans <- if (is.null(dd$trans)) identity else dd$trans
  base <- if (is.null(dd$dist)) dd else survreg.distributions[[dd$dist]]
  beta <- coef(fit); sigma <- fit$scale; V <- fit$var
  fixed <- ncol(V) == length(beta)
  lp <- sum(x * beta)
  crit <- qnorm(1 - (1 - level) / 2)
  out <- t(sapply(times, function(t) {
    z <- (trans(t) - lp) / sigma
    dens <- base$density(z, NULL)
    gs <- c(dens[, 3] * x / sigma, if (!fixed) dens[, 3] * z)
    gz <- c(-x / sigma, if (!fixed) -z)
    sez <- sqrt(drop(t(gz) %*% V %*% gz))
    c(time = t, surv = dens[, 2], se = sqrt(drop(t(gs) %*% V %*% gs)),
      lower = base$density(z + crit * sez, NULL)[, 2], upper = base$density(z - crit * sez, NULL)[, 2])
  }))
  as.data.frame(out)
}

## restricted mean: integral of S(t | x) from 0 to tau, delta-method se from the integrated gradient of S
rmst_at <- function(fit, x, taus) {
  dd <- survreg.distributions[[fit$dist]]
  trans <- if (is.null(dd$trans)) identity else dd$trans
  base <- if (is.null(dd$dist)) dd else survreg.distributions[[dd$dist]]
  beta <- coef(fit); sigma <- fit$scale; V <- fit$var
  fixed <- ncol(V) == length(beta)
  lp <- sum(x * beta)
  piece <- function(t, k) sapply(t, function(u) {
    if (!is.null(dd$trans) && u <= 0) return(if (k == 0) 1 else 0)
    z <- (trans(u) - lp) / sigma
    dens <- base$density(z, NULL)
    if (k == 0) dens[, 2] else if (k <= length(beta)) dens[, 3] * x[k] / sigma else dens[, 3] * z
  })
  t(sapply(taus, function(tau) {
    est <- integrate(function(t) piece(t, 0), 0, tau, rel.tol = 1e-12, subdivisions = 1000)$value
    g <- sapply(seq_len(ncol(V)), function(k) integrate(function(t) piece(t, k), 0, tau, rel.tol = 1e-12, subdivisions = 1000)$value)
    c(tau = tau, rmst = est, se = sqrt(drop(t(g) %*% V %*% g)))
  }))
}

## proportional-hazards form of a Weibull/exponential fit: log HR = -beta/sigma, delta method
hazard_ratios <- function(fit) {
  beta <- coef(fit)[-1]; sigma <- fit$scale; V <- fit$var
  fixed <- ncol(V) == length(coef(fit))
  res <- t(sapply(seq_along(beta), function(j) {
    g <- numeric(ncol(V)); g[j + 1] <- -1 / sigma
    if (!fixed) g[ncol(V)] <- beta[j] / sigma
    c(log_hr = unname(-beta[j] / sigma), se = sqrt(drop(t(g) %*% V %*% g)))
  }))
  list(term = I(names(beta)), log_hr = I(unname(res[, "log_hr"])), se = I(unname(res[, "se"])))
}

ref_survreg <- function(fit, newdata, times, label, taus = range(times)) {
  dist <- fit$dist
  s <- summary(fit)
  tab <- s$table
  V <- fit$var
  nc <- length(coef(fit))
  b <- coef(fit)[-1]
  wald <- if (length(b)) drop(t(b) %*% solve(V[2:nc, 2:nc, drop = FALSE]) %*% b) else NA
  df <- sum(fit$df) - fit$idf
  X <- model.matrix(delete.response(terms(fit)), model.frame(delete.response(terms(fit)), newdata, xlev = fit$xlevels))
  lp <- predict(fit, newdata = newdata, type = "lp", se.fit = TRUE)
  q <- predict(fit, newdata = newdata, type = "quantile", p = probs, se.fit = TRUE)
  uq <- predict(fit, newdata = newdata, type = "uquantile", p = probs, se.fit = TRUE)
  m <- function(v) matrix(v, nrow = nrow(newdata))
  preds <- lapply(seq_len(nrow(newdata)), function(i) {
    sa <- survival_at(fit, X[i, ], times)
    rm <- rmst_at(fit, X[i, ], taus)
    list(covariates = as.list(newdata[i, , drop = FALSE]), design = I(unname(X[i, ])),
         lp = unname(lp$fit[i]), lp_se = unname(lp$se.fit[i]),
         quantile_p = I(probs), quantile = I(m(q$fit)[i, ]), quantile_se = I(m(q$se.fit)[i, ]),
         uquantile = I(m(uq$fit)[i, ]), uquantile_se = I(m(uq$se.fit)[i, ]),
         survival_time = I(sa$time), survival = I(sa$surv), survival_se = I(sa$se),
         survival_lower = I(sa$lower), survival_upper = I(sa$upper),
         rmst_tau = I(unname(rm[, "tau"])), rmst = I(unname(rm[, "rmst"])), rmst_se = I(unname(rm[, "se"])))
  })
  out <- list(label = label, formula = deparse(formula(fit)), dist = dist,
       terms = I(rownames(tab)), value = I(unname(tab[, 1])), se = I(unname(tab[, 2])),
       z = I(unname(tab[, 3])), p = I(unname(tab[, 4])),
       coefficients = I(unname(coef(fit))), scale = unname(fit$scale),
       var = unname(V), loglik = I(unname(fit$loglik)), iter = fit$iter, n = nrow(fit$y) ,
       events = sum(fit$y[, ncol(fit$y)]), df = sum(fit$df),
       aic = AIC(fit), bic = BIC(fit),
       lr_test = list(statistic = 2 * diff(fit$loglik), df = df, p = if (df > 0) pchisq(2 * diff(fit$loglik), df, lower.tail = FALSE) else NA),
       wald_test = list(statistic = wald, df = length(b), p = if (length(b)) pchisq(wald, length(b), lower.tail = FALSE) else NA),
       dropped_csv_rows_1based = I(if (is.null(fit$na.action)) integer(0) else unname(as.integer(fit$na.action))),
       predictions = preds)
  if (dist %in% c("weibull", "exponential") && length(b)) out$hazard_ratios <- hazard_ratios(fit)
  out
}

lung_new <- data.frame(age = c(60, 70), sex = c(1, 2), ph.ecog = factor(c("0", "2"), levels = levels(lung$ph.ecog)))
ovarian_new <- data.frame(age = c(50, 65), ecog.ps = c(1, 2), rx = c(1, 2))
veteran_new <- data.frame(trt = c(1, 2), karno = c(60, 80), age = c(60, 50),
                          celltype = factor(c("squamous", "adeno"), levels = levels(veteran$celltype)))
fits <- list()
for (dist in dists) {
  fits[[length(fits) + 1]] <- ref_survreg(survreg(Surv(time, event) ~ age + sex + ph.ecog, lung, dist = dist), lung_new, c(180, 365, 730, 1500), "lung")
  fits[[length(fits) + 1]] <- ref_survreg(survreg(Surv(time, event) ~ age + ecog.ps + rx, ovarian, dist = dist), ovarian_new, c(365, 730, 1500), "ovarian")
  fits[[length(fits) + 1]] <- ref_survreg(survreg(Surv(time, event) ~ trt + karno + age + celltype, veteran, dist = dist), veteran_new, c(30, 90, 365), "veteran")
}
## intercept-only models (the path without an intercept-only starting fit)
for (dist in c("weibull", "lognormal", "exponential"))
  fits[[length(fits) + 1]] <- ref_survreg(survreg(Surv(time, event) ~ 1, lung, dist = dist), data.frame(row = 1), c(365, 730), "lung-intercept")
## case weights: ecog.ps (1 or 2) as a frequency weight
weighted <- ref_survreg(survreg(Surv(time, event) ~ age + rx, ovarian, dist = "weibull", weights = ecog.ps), ovarian_new, c(365, 730), "ovarian-weighted")

## --- crr ----------------------------------------------------------------------------------------
ref_crr <- function(data, cov, failcode, newcov, label) {
  fit <- crr(data$time, data$status, cov1 = cov, failcode = failcode, cencode = 0)
  s <- summary(fit)
  se <- sqrt(diag(fit$var))
  z <- fit$coef / se
  wald <- drop(t(fit$coef) %*% solve(fit$var) %*% fit$coef)
  pr <- predict(fit, cov1 = newcov)
  list(label = label, failcode = failcode, terms = I(names(fit$coef)),
       coef = I(unname(fit$coef)), se = I(unname(se)), z = I(unname(z)), p = I(unname(2 * pnorm(-abs(z)))),
       p_summary_rounded = I(unname(s$coef[, "p-value"])),
       hr_lower_95 = I(unname(s$conf.int[, 3])), hr_upper_95 = I(unname(s$conf.int[, 4])),
       var = unname(fit$var), invinf = unname(fit$invinf), inf = unname(fit$inf),
       loglik = fit$loglik, loglik_null = fit$loglik.null,
       pseudo_lr_test = unname(s$logtest["test"]), wald_test = list(statistic = wald, df = length(fit$coef), p = pchisq(wald, length(fit$coef), lower.tail = FALSE)),
       converged = fit$converged, n = fit$n,
       uftime = I(fit$uftime), bfitj = I(fit$bfitj),
       predict_covariates = unname(as.matrix(newcov)), predict_time = I(pr[, 1]), predict_cif = unname(pr[, -1, drop = FALSE]))
}
X <- model.matrix(~ x1 + x2 + x3, crcov)[, -1]
Xnew <- rbind(c(0, 0, 0, 0), c(1, 1, 0, 1))
colnames(Xnew) <- colnames(X)
G <- as.matrix(data.frame(group = crsynth$group))
crrs <- list(
  ref_crr(crcov, X, 1, Xnew, "crcov cause 1"),
  ref_crr(crcov, X, 2, Xnew, "crcov cause 2"),
  ref_crr(crsynth, G, 1, matrix(c(1, 2), ncol = 1), "crsynth cause 1"),
  ref_crr(crsynth, G, 2, matrix(c(1, 2), ncol = 1), "crsynth cause 2"))

out <- list(
  meta = list(R_version = R.version.string, survival_version = as.character(packageVersion("survival")),
    cmprsk_version = as.character(packageVersion("cmprsk")),
    survreg = "survreg(formula, data, dist) with default control; value/se/z/p are summary(fit)$table (Log(scale) last when estimated); var = fit$var (coefficients then log scale); loglik = fit$loglik (intercept-only, model), Jacobian included; aic/bic = AIC(fit)/BIC(fit); lr_test as print.summary.survreg; wald_test = b' solve(V[cov, cov]) b over the covariate coefficients",
    rmst = "restricted mean to rmst_tau: integrate() of S(t | x) from 0 (rel.tol 1e-12), se by the delta method with the integrated gradient of S and fit$var",
    predictions = "lp, quantile and uquantile from predict.survreg(newdata, se.fit = TRUE) with p = 0.1, 0.5, 0.9; survival at times S = 1 - F((trans(t) - lp)/scale) from survreg.distributions, se by the delta method on (beta, log scale) with fit$var, 95% limits from z +/- 1.96 se(z) mapped through the survival function",
    hazard_ratios = "Weibull/exponential: log HR = -beta/scale, se by the delta method on (beta, log scale)",
    crr = "cmprsk::crr(time, status, cov1, failcode, cencode = 0) with defaults (gtol 1e-6, maxiter 10); se = sqrt(diag(fit$var)) (the sandwich variance); p unrounded 2*pnorm(-|z|) (summary rounds to 2 digits: p_summary_rounded); hr limits from summary(fit)$conf.int; predict_cif = predict(fit, cov1 = rows of predict_covariates)[, -1], one column per row, at predict_time",
    data = "lung.csv = survival::lung with event = status - 1 (ph.ecog is a factor in the models, reference 0); crcov.csv simulated here (seed 20261203): x1 normal, x2 factor a/b/c (reference a), x3 0/1, status 0 censored / 1 / 2; crsynth.csv from extras.R"),
  survreg = fits, survreg_weighted = weighted, crr = crrs)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"), "parametric.expected.json")
for (f in fits) cat(sprintf("%-16s %-12s iter %2d loglik %.6f aic %.4f\n", f$label, f$dist, f$iter, f$loglik[2], f$aic))
for (f in crrs) cat(sprintf("%-16s converged %s coef %s\n", f$label, f$converged, paste(signif(f$coef, 6), collapse = " ")))
print(table(crcov$status))
