//! Syntax themes are chosen for looks, and several put comments or punctuation below the
//! WCAG AA contrast ratio (4.5:1) on their own background. Colours are moved toward black or
//! white, keeping their hue, just far enough to be readable.

use syntect::highlighting::Color;

/// The WCAG AA ratio for normal text.
pub const MINIMUM_RATIO: f64 = 4.5;

/// `color` (blended over `background` if translucent), changed as little as needed to reach
/// the minimum contrast ratio on `background`.
pub fn readable(color: Color, background: Color) -> Color {
    let mut current = blend(color, background);
    if ratio(current, background) >= MINIMUM_RATIO {
        return current;
    }
    let target = if luminance(background) > 0.18 {
        Color::BLACK
    } else {
        Color::WHITE
    };
    for step in 1..=20 {
        current = mix(blend(color, background), target, f64::from(step) / 20.0);
        if ratio(current, background) >= MINIMUM_RATIO {
            break;
        }
    }
    current
}

/// The WCAG contrast ratio of two opaque colours.
pub fn ratio(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

fn luminance(color: Color) -> f64 {
    let channel = |value: u8| {
        let c = f64::from(value) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)
}

fn mix(from: Color, to: Color, amount: f64) -> Color {
    let channel =
        |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * amount).round() as u8;
    Color {
        r: channel(from.r, to.r),
        g: channel(from.g, to.g),
        b: channel(from.b, to.b),
        a: 0xff,
    }
}

fn blend(color: Color, background: Color) -> Color {
    mix(
        background,
        Color { a: 0xff, ..color },
        f64::from(color.a) / 255.0,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rgb(r: u8, g: u8, b: u8) -> Color {
        Color { r, g, b, a: 0xff }
    }

    #[test]
    fn readable_colours_are_kept() {
        assert_eq!(readable(rgb(0, 0, 0), rgb(255, 255, 255)), rgb(0, 0, 0));
        assert!((ratio(rgb(0, 0, 0), rgb(255, 255, 255)) - 21.0).abs() < 0.01);
    }

    #[test]
    fn faint_colours_are_darkened_or_lightened_until_readable() {
        let comment = rgb(150, 152, 150);
        let fixed = readable(comment, rgb(255, 255, 255));
        assert!(ratio(fixed, rgb(255, 255, 255)) >= MINIMUM_RATIO);
        assert!(fixed.r < comment.r);
        let dark_background = rgb(40, 44, 52);
        let fixed = readable(rgb(92, 99, 112), dark_background);
        assert!(ratio(fixed, dark_background) >= MINIMUM_RATIO);
        let translucent = Color {
            a: 0x80,
            ..rgb(0, 0, 0)
        };
        assert!(
            ratio(
                readable(translucent, rgb(255, 255, 255)),
                rgb(255, 255, 255)
            ) >= MINIMUM_RATIO
        );
    }
}
