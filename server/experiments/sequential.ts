/**
 * An anytime-valid test that the treatment's CTR is below the control's: a one-sided mixture
 * sequential probability ratio test (mSPRT) on the difference of the two CTRs, safe to check
 * after every impression (no peeking penalty).
 *
 * Model. δ̂ = p̂_T − p̂_C is approximately N(δ, V) with, under H0 (no difference),
 * V = p̄(1 − p̄)(1/n_T + 1/n_C), p̄ the pooled CTR. Whatever the allocation between the arms
 * (it changes with every stage), the score S = δ̂/V in information time I = 1/V is a Brownian
 * motion with drift δ (its increments are independent), so exp(θS − θ²I/2) is a martingale
 * under δ = 0 for every θ and a supermartingale under δ ≥ 0 for every θ ≤ 0.
 *
 * Mixing θ over a half-normal on the harmful side (density 2·N(θ; 0, τ²) for θ < 0):
 *
 *   Λ = 2 · √(V / (V + τ²)) · exp( τ² δ̂² / (2 V (V + τ²)) ) · Φ( −δ̂ τ / √(V (V + τ²)) )
 *
 * Λ is a non-negative supermartingale with Λ₀ = 1 under H0: δ ≥ 0, so by Ville's inequality
 * P(Λ ever reaches 1/α) ≤ α, however often it is looked at. The treatment is declared worse
 * when Λ ≥ 1/α. τ, the mixture's spread, is the effect the test is quickest to find:
 * τ = tunedRelativeDrop × p̄.
 *
 * References: Robbins (1970), "Statistical methods related to the law of the iterated
 * logarithm", Ann. Math. Statist. 41; Johari, Koomen, Pekelis & Walsh (2022), "Always valid
 * inference: continuous monitoring of A/B tests", Operations Research 70(3) (the normal-mixture
 * mSPRT, here one-sided); Howard, Ramdas, McAuliffe & Sekhon (2021), "Time-uniform,
 * nonparametric, nonasymptotic confidence sequences", Ann. Statist. 49(2).
 *
 * The normal approximation (and the plug-in p̄) are why the false-alarm rate is checked by
 * simulation in test/unit/sequentialGuardrail.test.ts rather than taken on trust.
 */

export interface Counts {
  impressions: number;
  clicks: number;
}

export interface SequentialCtrResult {
  /** Treatment CTR − control CTR. */
  difference: number;
  /** Var(difference) under H0, from the pooled CTR. */
  variance: number;
  /** The mixture's spread on the difference. */
  tau: number;
  /** The mixture likelihood ratio Λ for "treatment below control". */
  likelihoodRatio: number;
  /** 1/α: Λ at or above it shows harm. */
  threshold: number;
  /** min(1, 1/Λ): the always-valid p-value of this look. */
  pValue: number;
  harmful: boolean;
}

/**
 * One look of the one-sided mSPRT. Without clicks (or with every impression clicked) there is
 * no variance yet: Λ = 1, no evidence either way.
 */
export function sequentialCtrTest(
  control: Counts,
  treatment: Counts,
  options: { alpha: number; tunedRelativeDrop: number },
): SequentialCtrResult {
  const threshold = 1 / options.alpha;
  const nC = control.impressions;
  const nT = treatment.impressions;
  const pooled = nC + nT > 0 ? (control.clicks + treatment.clicks) / (nC + nT) : 0;
  const difference = nC > 0 && nT > 0 ? treatment.clicks / nT - control.clicks / nC : 0;
  const variance = nC > 0 && nT > 0 ? pooled * (1 - pooled) * (1 / nC + 1 / nT) : 0;
  const tau = options.tunedRelativeDrop * pooled;
  const logLr = logMixtureRatio(difference, variance, tau);
  const likelihoodRatio = Math.exp(logLr);
  return {
    difference,
    variance,
    tau,
    likelihoodRatio,
    threshold,
    pValue: Math.min(1, Math.exp(-logLr)),
    harmful: logLr >= Math.log(threshold),
  };
}

/** ln Λ of the half-normal mixture (see the file comment); 0 when V or τ is 0. */
export function logMixtureRatio(difference: number, variance: number, tau: number): number {
  if (!(variance > 0) || !(tau > 0)) return 0;
  const tau2 = tau * tau;
  const total = variance + tau2;
  return (
    Math.LN2 +
    0.5 * Math.log(variance / total) +
    (tau2 * difference * difference) / (2 * variance * total) +
    logNormalCdf((-difference * tau) / Math.sqrt(variance * total))
  );
}

/** ln Φ(x), accurate far into the lower tail (where Φ itself underflows). */
export function logNormalCdf(x: number): number {
  return Math.log(0.5) + logErfc(-x / Math.SQRT2);
}

export function normalCdf(x: number): number {
  return Math.exp(logNormalCdf(x));
}

/**
 * ln erfc(z): the Chebyshev fit of Numerical Recipes (erfcc, fractional error below 1.2e-7
 * everywhere), kept in log form so large z do not underflow.
 */
export function logErfc(z: number): number {
  const a = Math.abs(z);
  const t = 1 / (1 + 0.5 * a);
  const poly =
    -a * a -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t *
                          (-1.13520398 +
                            t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const logUpper = Math.log(t) + poly; // ln erfc(|z|)
  return z >= 0 ? logUpper : Math.log(2 - Math.exp(logUpper));
}
