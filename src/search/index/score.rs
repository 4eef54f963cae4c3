//! Scoring a posting: BM25F over a page title, a section heading and the section's text,
//! and the one-byte logarithmic scale scores are stored on.

use super::Posting;

/// Field weights: a match in a page title outranks one in a heading, which outranks text.
const TITLE_WEIGHT: f64 = 8.0;
const HEADING_WEIGHT: f64 = 4.0;
const BODY_WEIGHT: f64 = 1.0;
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// BM25F: fields weighted into one term frequency, the text's part normalised by length.
pub(super) fn score(posting: &Posting, body_length: u32, idf: f64, average_length: f64) -> f64 {
    let counts = posting.counts;
    let length_norm = 1.0 - B + B * f64::from(body_length) / average_length;
    let tf = TITLE_WEIGHT * f64::from(counts.title)
        + HEADING_WEIGHT * f64::from(counts.heading)
        + BODY_WEIGHT * f64::from(counts.body) / length_norm;
    idf * tf * (K1 + 1.0) / (tf + K1)
}

/// The weight of a term found in `df` of `docs` sections.
pub(super) fn idf(docs: f64, df: usize) -> f64 {
    (1.0 + (docs - df as f64 + 0.5) / (df as f64 + 0.5))
        .ln()
        .max(MIN_IDF)
}

/// Highest score a posting can reach, for quantising scores to 1..=255.
pub(super) fn score_ceiling(docs: f64) -> f64 {
    let idf = (1.0 + (docs - 0.5) / 1.5).ln();
    idf * (K1 + 1.0)
}

/// Scores are stored as one byte on a logarithmic scale spanning this ratio, so that a word
/// found nearly everywhere (whose scores are all tiny) still ranks a title match above a
/// mention in the text. search.js maps bytes back with the same constant (`meta.score_scale`).
pub const SCORE_SCALE: f64 = 16384.0;
/// The smallest idf: words in nearly every section still weigh something, and their
/// scores still differ by field and frequency.
const MIN_IDF: f64 = 0.05;

/// A score (0..=ceiling) as a byte 1..=255 on the [`SCORE_SCALE`] logarithmic scale.
#[cfg(test)]
pub(super) fn quantise(score: f64, ceiling: f64) -> u8 {
    let level = (1.0 + SCORE_SCALE * score / ceiling).ln() / (1.0 + SCORE_SCALE).ln();
    (1.0 + 254.0 * level).round().clamp(1.0, 255.0) as u8
}

/// [`quantise`] without a logarithm per posting (there are millions): the scores at which the
/// byte steps up, and a table that finds the step of a score from the bits of its place on
/// the logarithmic scale.
pub(super) struct Quantiser {
    /// Entry k is the lowest score of byte k + 1 (entry 0 is below every score, entry 255
    /// above them all, so that the search below never leaves the table).
    pub(super) steps: [f64; 256],
    /// `SCORE_SCALE / ceiling`: a score's place on the scale is `1 + score * scale`.
    pub(super) scale: f64,
    /// By [`bucket`] of a score's place: the step of the lowest place in the bucket. A bucket
    /// spans less than half a step (test `the_buckets_are_narrower_than_a_step`), so the
    /// score's own step is that one or the next, and a rounding of its place into the next
    /// bucket moves it by one at most.
    pub(super) first_step: Vec<u8>,
}

/// Mantissa bits of a place that pick its bucket: 64 buckets per doubling.
pub(super) const BUCKET_BITS: u32 = 6;

/// The bucket of a place on the scale (1 to 1 + SCORE_SCALE): its binary exponent and the
/// top [`BUCKET_BITS`] of its mantissa, which grow with its logarithm.
fn bucket(place: f64, buckets: usize) -> usize {
    let bits = (place.to_bits() >> (52 - BUCKET_BITS)) as i64 - (1023 << BUCKET_BITS);
    bits.clamp(0, buckets as i64 - 1) as usize
}

impl Quantiser {
    pub(super) fn new(ceiling: f64) -> Quantiser {
        // Byte k + 1 starts where 1 + 254 * level reaches k + 0.5 (it is rounded).
        let steps = std::array::from_fn(|k| match k {
            0 => f64::NEG_INFINITY,
            255 => f64::INFINITY,
            _ => {
                let level = (k as f64 - 0.5) / 254.0;
                ceiling * ((1.0 + SCORE_SCALE).powf(level) - 1.0) / SCORE_SCALE
            }
        });
        let doublings = (1.0 + SCORE_SCALE).log2().floor() as usize + 1;
        let buckets = doublings << BUCKET_BITS;
        let first_step = (0..buckets)
            .map(|b| {
                let lowest =
                    f64::from_bits(((b as u64) + (1023 << BUCKET_BITS)) << (52 - BUCKET_BITS));
                let score = (lowest - 1.0) * ceiling / SCORE_SCALE;
                // The last step at or below it, never the sentinel 255 (see `byte`).
                steps.partition_point(|&s| s <= score).clamp(1, 255) as u8 - 1
            })
            .collect();
        Quantiser {
            steps,
            scale: SCORE_SCALE / ceiling,
            first_step,
        }
    }

    /// The byte of `score`: one more than the last step at or below it, found from its
    /// bucket's first step with one look down and one up, without branches (the steps of
    /// one term's postings are unpredictable).
    pub(super) fn byte(&self, score: f64) -> u8 {
        let place = 1.0 + score * self.scale;
        let mut index = usize::from(self.first_step[bucket(place, self.first_step.len())]);
        index -= usize::from(self.steps[index] > score);
        index += usize::from(self.steps[index + 1] <= score);
        (index + 1) as u8
    }
}
