//! Descriptive statistics of `f64` slices.
//!
//! Every sum is a plain left-to-right loop, so the results are the same, bit for bit, as a naive
//! loop in another language that adds in the same order.

/// Which denominator a variance uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ddof {
    /// Divide by `n` (the population variance, numpy's default).
    Population,
    /// Divide by `n - 1` (the sample variance, pandas' default).
    Sample,
}

/// The arithmetic mean, or `None` for an empty slice.
pub fn mean(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    let mut total = 0.0;
    for &x in xs {
        total += x;
    }
    Some(total / xs.len() as f64)
}

/// The variance around the mean, or `None` when there are too few values (none for
/// `Population`, fewer than two for `Sample`).
pub fn variance(xs: &[f64], ddof: Ddof) -> Option<f64> {
    let m = mean(xs)?;
    let denominator = match ddof {
        Ddof::Population => xs.len(),
        Ddof::Sample if xs.len() >= 2 => xs.len() - 1,
        Ddof::Sample => return None,
    };
    let mut sq = 0.0;
    for &x in xs {
        sq += (x - m) * (x - m);
    }
    Some(sq / denominator as f64)
}

/// The standard deviation: the square root of `variance`.
pub fn stddev(xs: &[f64], ddof: Ddof) -> Option<f64> {
    variance(xs, ddof).map(f64::sqrt)
}

/// How many standard deviations `x` lies from `mean`; `None` when `std` is zero or not finite.
pub fn zscore(x: f64, mean: f64, std: f64) -> Option<f64> {
    if std == 0.0 || !std.is_finite() {
        return None;
    }
    Some((x - mean) / std)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_variance() {
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        assert_eq!(mean(&xs), Some(5.0));
        assert_eq!(variance(&xs, Ddof::Population), Some(4.0));
        assert_eq!(stddev(&xs, Ddof::Population), Some(2.0));
        assert_eq!(variance(&xs, Ddof::Sample), Some(32.0 / 7.0));
    }

    #[test]
    fn empty_and_degenerate() {
        assert_eq!(mean(&[]), None);
        assert_eq!(variance(&[1.0], Ddof::Sample), None);
        assert_eq!(zscore(3.0, 3.0, 0.0), None);
        assert_eq!(zscore(5.0, 3.0, 2.0), Some(1.0));
    }
}
