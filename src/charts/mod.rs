//! The pictures, drawn with plotters on any backend: a canvas in the browser, SVG in tests.
//!
//! Each chart is a `draw` function over a [`DrawingArea`] of any [`DrawingBackend`], reading an
//! [`Experiment`] and its current [`Alignment`]. Data is always blue and weights always
//! vermillion (Okabe–Ito, distinguishable under the common colour-vision deficiencies); the
//! themes change only the background, the ink and the weight of lines and type.

mod curves;
mod eigenmap;
mod overlap;
mod scatter;
pub mod race;

use crate::experiment::{Alignment, Experiment};
use nalgebra::{DMatrix, Matrix2};
use plotters::coord::Shift;
use plotters::prelude::*;

pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The charts, by the names the page and the tests use.
pub const CHARTS: &[&str] = &["data", "weights", "curves", "misalignment", "alignment", "training", "overlap", "eigenmap"];

/// Colours and sizes of one look.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub background: RGBColor,
    pub ink: RGBColor,
    pub muted: RGBColor,
    pub grid: RGBColor,
    pub data: RGBColor,
    pub weights: RGBColor,
    /// Device pixels per CSS pixel times the theme's own enlargement.
    pub scale: f64,
}

impl Theme {
    /// `light`, `dark` or `contrast` (lecture mode); `dpr` is the screen's pixel ratio.
    pub fn named(name: &str, dpr: f64) -> Theme {
        let dpr = if dpr.is_finite() && dpr > 0.0 { dpr.min(4.0) } else { 1.0 };
        match name {
            "dark" => Theme {
                background: RGBColor(0x16, 0x1b, 0x22),
                ink: RGBColor(0xe6, 0xe9, 0xee),
                muted: RGBColor(0x9a, 0xa4, 0xb1),
                grid: RGBColor(0x2c, 0x34, 0x3f),
                data: RGBColor(0x56, 0xb4, 0xe9),
                weights: RGBColor(0xf0, 0x7a, 0x3a),
                scale: dpr,
            },
            "contrast" => Theme {
                background: RGBColor(0, 0, 0),
                ink: RGBColor(0xff, 0xff, 0xff),
                muted: RGBColor(0xd0, 0xd0, 0xd0),
                grid: RGBColor(0x40, 0x40, 0x40),
                data: RGBColor(0x56, 0xb4, 0xe9),
                weights: RGBColor(0xff, 0x8c, 0x42),
                scale: dpr * 1.35,
            },
            _ => Theme {
                background: RGBColor(0xff, 0xff, 0xff),
                ink: RGBColor(0x1f, 0x29, 0x33),
                muted: RGBColor(0x6b, 0x72, 0x80),
                grid: RGBColor(0xe5, 0xe7, 0xeb),
                data: RGBColor(0x00, 0x72, 0xb2),
                weights: RGBColor(0xd5, 0x5e, 0x00),
                scale: dpr,
            },
        }
    }

    /// A length in CSS pixels, in device pixels.
    pub fn px(&self, css: f64) -> u32 {
        (css * self.scale).round().max(1.0) as u32
    }

    pub fn font(&self, css: f64) -> TextStyle<'static> {
        ("sans-serif", css * self.scale).into_font().color(&self.ink)
    }

    pub fn muted_font(&self, css: f64) -> TextStyle<'static> {
        ("sans-serif", css * self.scale).into_font().color(&self.muted)
    }
}

/// Draw one chart by name onto a whole drawing area.
pub fn draw<DB: DrawingBackend>(
    name: &str,
    area: &DrawingArea<DB, Shift>,
    experiment: &Experiment,
    alignment: &Alignment,
    theme: &Theme,
) -> Result<(), String> {
    let result = match name {
        "data" => scatter::draw_data(area, experiment, theme),
        "weights" => scatter::draw_weights(area, experiment, alignment, theme),
        "curves" => curves::draw_all(area, experiment, theme),
        "misalignment" => curves::draw_misalignment(area, experiment, theme),
        "alignment" => curves::draw_alignment(area, experiment, theme),
        "training" => curves::draw_training(area, experiment, theme),
        "overlap" => overlap::draw(area, experiment, alignment, theme),
        "eigenmap" => eigenmap::draw(area, experiment, alignment, theme),
        _ => return Err(format!("unknown chart '{name}': expected one of {}", CHARTS.join(", "))),
    };
    result.map_err(|e| format!("drawing {name}: {e:?}"))?;
    area.present().map_err(|e| format!("drawing {name}: {e:?}"))
}

/// A one-sentence text alternative of what a chart shows now (for screen readers).
pub fn describe(name: &str, experiment: &Experiment, alignment: &Alignment) -> String {
    let d = experiment.config().dim;
    let step = experiment.step_count();
    let history = experiment.history();
    let first = history.first();
    match name {
        "data" => format!(
            "Data cloud of {} points in {}; its covariance ellipse has axes of standard deviation {}.",
            experiment.display_points().len() / d,
            projection_words(experiment),
            list(&experiment.distribution().eigen.values.iter().take(2).map(|v| v.sqrt()).collect::<Vec<_>>()),
        ),
        "weights" => match alignment.angle_deg {
            Some(angle) => format!(
                "First-layer weight vectors at step {step}; the principal axis of their covariance is {angle:.1}° from the nearest data axis (0° = aligned, 45° = furthest)."
            ),
            None => format!(
                "First-layer weight vectors at step {step}, {}; alignment share {:.2}.",
                projection_words(experiment),
                alignment.alignment
            ),
        },
        "curves" | "misalignment" | "alignment" | "training" => match (first, history.last()) {
            (Some(a), Some(b)) => format!(
                "Curves over {} steps: misalignment in the data basis went from {:.2e} to {:.2e}, in a random basis from {:.2e} to {:.2e}; alignment share from {:.2} to {:.2}; loss from {:.2} to {:.2}.",
                b.step, a.misalignment, b.misalignment, a.misalignment_random, b.misalignment_random, a.alignment, b.alignment, a.loss, b.loss
            ),
            _ => "No steps yet.".into(),
        },
        "overlap" => {
            let overlap = crate::metrics::overlap(&experiment.distribution().eigen, &alignment.weight_eigen);
            let diagonal = (0..d).map(|i| overlap[i][i]).sum::<f64>() / d as f64;
            let best = overlap.iter().map(|row| row.iter().copied().fold(0.0, f64::max)).sum::<f64>() / d as f64;
            format!("Overlap of data and weight eigenvectors, {d} by {d}: each data direction's best match averages {best:.2} (1 = a permutation, aligned); the diagonal averages {diagonal:.2}.")
        }
        "eigenmap" => {
            let f = crate::metrics::eigenvalue_map(&alignment.weight_covariance, &experiment.distribution().eigen);
            // f is in the data's order, largest variance first.
            let trend = if f.first() > f.last() { "larger" } else { "smaller" };
            format!("Eigenvalue map: the weights' spread along each data direction against that direction's standard deviation; the largest-variance direction has the {trend} weight spread.")
        }
        _ => String::new(),
    }
}

/// An axis tick that fits the label area at any scale: "-2e4" rather than "-20000.0", whose
/// sign the area would clip (weights after a diverging run are that large).
pub fn tick_label(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 {
        "0".to_string()
    } else if !(0.1..1e4).contains(&a) {
        // Two significant digits, so that neighbouring ticks (1.2e4, 1.4e4) stay apart.
        format!("{v:.1e}").replace(".0e", "e")
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn list(values: &[f64]) -> String {
    values.iter().map(|v| format!("{v:.2}")).collect::<Vec<_>>().join(" and ")
}

fn projection_words(experiment: &Experiment) -> String {
    let c = experiment.config();
    if c.dim == 2 {
        "the input plane".into()
    } else {
        format!("projected onto data eigen-directions {} and {} of {}", c.proj.0, c.proj.1, c.dim)
    }
}

/// The 2 × d map from inputs to the panel's plane: the raw plane in 2-D, otherwise the chosen
/// pair of data eigenvectors.
pub(crate) fn projection(experiment: &Experiment) -> (DMatrix<f64>, [String; 2]) {
    let c = experiment.config();
    let d = c.dim;
    if d == 2 {
        return (DMatrix::identity(2, 2), ["x₁".into(), "x₂".into()]);
    }
    let v = &experiment.distribution().eigen.vectors;
    let (a, b) = (c.proj.0 - 1, c.proj.1 - 1);
    let mut p = DMatrix::zeros(2, d);
    p.set_row(0, &v.column(a).transpose());
    p.set_row(1, &v.column(b).transpose());
    (p, [format!("along data direction {}", c.proj.0), format!("along data direction {}", c.proj.1)])
}

/// The 2 × 2 covariance P Σ Pᵀ and its eigenpairs (decreasing).
pub(crate) fn projected(p: &DMatrix<f64>, cov: &DMatrix<f64>) -> (Matrix2<f64>, [(f64, [f64; 2]); 2]) {
    let m = p * cov * p.transpose();
    let m2 = Matrix2::new(m[(0, 0)], m[(0, 1)], m[(1, 0)], m[(1, 1)]);
    let e = crate::metrics::sorted_eigen(&m);
    let pair = |i: usize| (e.values[i].max(0.0), [e.vectors[(0, i)], e.vectors[(1, i)]]);
    (m2, [pair(0), pair(1)])
}

/// The axes every chart shares: labelled axes, a faint major grid and no minor one, muted
/// ticks; each chart adds its descriptions, label counts and formats.
pub(crate) fn house_style<'a, 'b, 'm, X, Y, XT, YT, DB>(
    mesh: &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>,
    theme: &Theme,
) -> &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType = XT> + plotters::coord::ranged1d::ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + plotters::coord::ranged1d::ValueFormatter<YT>,
    DB: DrawingBackend,
{
    mesh.axis_desc_style(theme.font(13.0))
        .label_style(theme.muted_font(12.0))
        .max_light_lines(0)
        .bold_line_style(theme.grid.stroke_width(theme.px(1.0)))
        .axis_style(theme.muted.stroke_width(theme.px(1.0)))
}

/// Points of the ellipse {x : xᵀ Σ⁻¹ x = k²} for a 2 × 2 covariance given by its eigenpairs.
pub(crate) fn ellipse(eigen: &[(f64, [f64; 2]); 2], k: f64) -> Vec<(f64, f64)> {
    let (a, b) = (k * eigen[0].0.sqrt(), k * eigen[1].0.sqrt());
    let (u, w) = (eigen[0].1, eigen[1].1);
    (0..=96)
        .map(|i| {
            let t = i as f64 / 96.0 * std::f64::consts::TAU;
            let (s, c) = t.sin_cos();
            (a * c * u[0] + b * s * w[0], a * c * u[1] + b * s * w[1])
        })
        .collect()
}

/// Ranges with equal units on both axes for a plotting area of `width × height` pixels that
/// must show at least [-half, half] on each axis: angles on screen are then true angles.
pub(crate) fn square_ranges(half: f64, width: u32, height: u32) -> (std::ops::Range<f64>, std::ops::Range<f64>) {
    let half = if half.is_finite() && half > 0.0 { half } else { 1.0 };
    let (w, h) = (width.max(1) as f64, height.max(1) as f64);
    let (hx, hy) = if w >= h { (half * w / h, half) } else { (half, half * h / w) };
    (-hx..hx, -hy..hy)
}

/// An arrow from the origin to `tip`, as a shaft and a filled head, in data coordinates.
pub(crate) fn arrow<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>>,
    tip: (f64, f64),
    head: f64,
    style: ShapeStyle,
) -> DrawResult<DB> {
    let len = (tip.0 * tip.0 + tip.1 * tip.1).sqrt();
    if len <= 0.0 || !len.is_finite() {
        return Ok(());
    }
    let (ux, uy) = (tip.0 / len, tip.1 / len);
    let head = head.min(len * 0.5);
    let base = (tip.0 - ux * head, tip.1 - uy * head);
    let side = (-uy * head * 0.45, ux * head * 0.45);
    chart.draw_series(std::iter::once(PathElement::new(vec![(0.0, 0.0), base], style)))?;
    chart.draw_series(std::iter::once(Polygon::new(
        vec![tip, (base.0 + side.0, base.1 + side.1), (base.0 - side.0, base.1 - side.1)],
        style.color.filled(),
    )))?;
    Ok(())
}
