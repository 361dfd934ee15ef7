//! The transfer race: downstream test accuracy of every contender over the downstream steps,
//! the mean over the repeats as a line and ±1 sd as a band. While the upstream networks are
//! still learning random labels, a progress bar says so.
//!
//! Data blue and weights vermillion are reserved for the other panels; the contenders use the
//! remaining Okabe–Ito colours (orange, reddish purple, bluish green) plus the theme's ink for
//! `scratch` and its muted grey for the `scale_only` control, and differ in dash too, so that
//! they stay apart in grey-scale and under the common colour-vision deficiencies.

use super::{house_style, DrawResult, Theme};
use crate::transfer::{Contender, Phase, Race};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const ORANGE: RGBColor = RGBColor(0xe6, 0x9f, 0x00);
const PURPLE: RGBColor = RGBColor(0xcc, 0x79, 0xa7);
const GREEN: RGBColor = RGBColor(0x00, 0x9e, 0x73);

/// A contender's colour and dash pattern (`None` = solid; `Some((dash, gap))` in CSS px).
pub fn style(contender: Contender, theme: &Theme) -> (RGBColor, Option<(f64, f64)>) {
    match contender {
        Contender::Scratch => (theme.ink, None),
        Contender::Pretrained => (ORANGE, None),
        Contender::PretrainedRaw => (PURPLE, Some((8.0, 4.0))),
        Contender::Covariance => (GREEN, Some((3.0, 3.0))),
        Contender::ScaleOnly => (theme.muted, Some((10.0, 3.0))),
    }
}

fn percent(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

/// Below this width (CSS px) the titles are shorter and the key moves under the plot, where
/// it cannot cover a curve (a phone, or a narrow column of a blog).
const NARROW: f64 = 560.0;
/// Rows of the key: the chance level and the five contenders.
const KEY_ROWS: usize = 1 + Contender::ALL.len();

/// Draw the race onto the whole area.
pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, race: &Race, theme: &Theme) -> DrawResult<DB> {
    area.fill(&theme.background)?;
    let config = race.config();
    let steps = config.downstream_steps.max(1) as f64;
    let progress = race.progress();
    let repeats = config.repeats;
    let (width, height) = area.dim_in_pixel();
    let narrow = (width as f64 / theme.scale) < NARROW;
    let repeats_word = if repeats == 1 { "repeat" } else { "repeats" };
    let title = match (progress.phase, narrow) {
        (Phase::Upstream, false) => "Transfer race: pre-training on random labels".to_string(),
        (Phase::Upstream, true) => "Pre-training on random labels".to_string(),
        (Phase::Downstream, false) => format!("Transfer race: fine-tuning on real labels, step {} of {}", progress.done, progress.total),
        (Phase::Downstream, true) => format!("Fine-tuning: step {} of {}", progress.done, progress.total),
        (Phase::Done, false) => format!("Transfer race: test accuracy, mean ± 1 sd over {repeats} {repeats_word}"),
        (Phase::Done, true) => format!("Test accuracy, mean ± 1 sd, {repeats} {repeats_word}"),
    };
    let (area, key_area) = if narrow && progress.phase != Phase::Upstream {
        let key_height = (KEY_ROWS as u32 * theme.px(18.0) + theme.px(12.0)).min(height / 3);
        let (plot, key) = area.split_vertically(height - key_height);
        (plot, Some(key))
    } else {
        (area.clone(), None)
    };
    let area = &area;
    let mut chart = ChartBuilder::on(area)
        .margin(theme.px(8.0))
        .margin_right(theme.px(16.0))
        .caption(title, theme.font(15.0))
        .x_label_area_size(theme.px(40.0))
        .y_label_area_size(theme.px(52.0))
        .build_cartesian_2d(0.0..steps, 0.0..1.02)?;
    house_style(&mut chart.configure_mesh(), theme)
        .x_desc(if narrow { "downstream step" } else { "downstream step (minibatches of real labels)" })
        .y_desc("test accuracy")
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| percent(*v))
        .draw()?;

    // Chance level of the downstream task.
    let chance = 1.0 / config.downstream_classes as f64;
    let muted = theme.muted;
    chart
        .draw_series(DashedLineSeries::new(
            vec![(0.0, chance), (steps, chance)],
            theme.px(2.0),
            theme.px(4.0),
            muted.stroke_width(theme.px(1.0)),
        ))?
        .label(format!("chance (1/{})", config.downstream_classes))
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], muted.stroke_width(1)));

    if progress.phase == Phase::Upstream {
        return draw_upstream_progress(&chart.plotting_area().strip_coord_spec(), race, theme, narrow);
    }

    let curves = race.curves();
    // Bands first, so that no line is hidden under another contender's band.
    for curve in &curves {
        if curve.points.len() < 2 {
            continue;
        }
        let (colour, _) = style(curve.contender, theme);
        let mut outline: Vec<(f64, f64)> =
            curve.points.iter().map(|p| (p.step as f64, (p.test_accuracy + p.test_accuracy_sd).min(1.0))).collect();
        outline.extend(curve.points.iter().rev().map(|p| (p.step as f64, (p.test_accuracy - p.test_accuracy_sd).max(0.0))));
        if outline.iter().all(|(_, y)| y.is_finite()) {
            chart.draw_series(std::iter::once(Polygon::new(outline, colour.mix(0.12).filled())))?;
        }
    }
    let width = theme.px(2.5);
    for curve in &curves {
        let (colour, dash) = style(curve.contender, theme);
        let points: Vec<(f64, f64)> =
            curve.points.iter().filter(|p| p.test_accuracy.is_finite()).map(|p| (p.step as f64, p.test_accuracy)).collect();
        let line = colour.stroke_width(width);
        let legend_line = colour.stroke_width(3);
        let annotated = match dash {
            None => chart.draw_series(LineSeries::new(points, line))?,
            Some((d, g)) => chart.draw_series(DashedLineSeries::new(points, theme.px(d), theme.px(g), line))?,
        };
        // Solid: two touching segments; dashed: a gap between them (one element type for both).
        let (a, b) = if dash.is_some() { (6, 11) } else { (9, 9) };
        annotated.label(curve.contender.label()).legend(move |(x, y)| {
            EmptyElement::at((x, y)) + PathElement::new(vec![(0, 0), (a, 0)], legend_line) + PathElement::new(vec![(b, 0), (18, 0)], legend_line)
        });
    }
    if let Some(key_area) = &key_area {
        draw_key_below(key_area, config.downstream_classes, theme)?;
    } else {
        let position = legend_position(&curves, steps, chart.plotting_area().dim_in_pixel().1, theme);
        chart
            .configure_series_labels()
            .position(position)
            .label_font(theme.font(12.0))
            .background_style(theme.background.mix(0.85))
            .border_style(theme.grid)
            .margin(theme.px(6.0))
            .legend_area_size(theme.px(24.0))
            .draw()?;
    }

    // What the units did at the switch, top left, where the curves have not yet risen.
    if let Some(switch) = race.switch_stats() {
        let plot = chart.plotting_area().strip_coord_spec();
        let (pw, _) = plot.dim_in_pixel();
        let parts: Vec<String> = switch
            .layers
            .iter()
            .map(|l| format!("layer {}: {} (fresh {})", l.layer, percent(l.upstream.firing_rate), percent(l.scratch.firing_rate)))
            .collect();
        let text = format!("pre-trained units fire on {}", parts.join(", "));
        let font = theme.muted_font(12.0);
        let pad = theme.px(8.0) as i32;
        if (text.len() as f64 * 6.0 * theme.scale) < pw as f64 * 0.95 {
            plot.draw(&Text::new(text, (pad, pad), font))?;
        } else {
            for (i, line) in std::iter::once("pre-trained units fire on".to_string()).chain(parts).enumerate() {
                plot.draw(&Text::new(line, (pad, pad + i as i32 * theme.px(15.0) as i32), font.clone()))?;
            }
        }
    }
    Ok(())
}

/// The key as rows under the plot (narrow areas): a line sample in each style, then its name.
fn draw_key_below<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, classes: usize, theme: &Theme) -> DrawResult<DB> {
    let row = theme.px(18.0) as i32;
    let left = theme.px(60.0) as i32; // under the plot, past the y-axis labels
    let sample = theme.px(26.0) as i32;
    let font = theme.font(12.0).pos(Pos::new(HPos::Left, VPos::Center));
    let mut items: Vec<(String, RGBColor, Option<(f64, f64)>, f64)> = vec![(format!("chance (1/{classes})"), theme.muted, Some((2.0, 4.0)), 1.0)];
    items.extend(Contender::ALL.iter().map(|&c| {
        let (colour, dash) = style(c, theme);
        (c.label().to_string(), colour, dash, 2.5)
    }));
    for (i, (label, colour, dash, stroke)) in items.into_iter().enumerate() {
        let y = theme.px(6.0) as i32 + row / 2 + i as i32 * row;
        let line = colour.stroke_width(theme.px(stroke));
        let from = (left, y);
        let to = (left + sample, y);
        match dash {
            None => area.draw(&PathElement::new(vec![from, to], line))?,
            // Dashes of d, gaps of g, as the curve is drawn.
            Some((d, g)) => area.draw(&plotters::element::DashedPathElement::new(vec![from, to], theme.px(d), theme.px(g), line))?,
        }
        area.draw(&Text::new(label, (left + sample + theme.px(8.0) as i32, y), font.clone()))?;
    }
    Ok(())
}

/// Lower right if the curves leave that corner free, else upper right if that is free, else
/// lower left (only the first few evaluations sit there, near chance).
fn legend_position(curves: &[crate::transfer::Curve], steps: f64, plot_height: u32, theme: &Theme) -> SeriesLabelPosition {
    // Six rows of 12 px type plus padding, as a share of the 0..1.02 accuracy axis.
    let legend = (6.0 * 16.0 * theme.scale + 2.0 * theme.px(6.0) as f64) / plot_height.max(1) as f64 * 1.02 + 0.03;
    let right: Vec<_> = curves.iter().flat_map(|c| c.points.iter()).filter(|p| p.step as f64 >= 0.6 * steps).collect();
    let low = right.iter().map(|p| p.test_accuracy - p.test_accuracy_sd).fold(f64::INFINITY, f64::min);
    let high = right.iter().map(|p| p.test_accuracy + p.test_accuracy_sd).fold(f64::NEG_INFINITY, f64::max);
    if right.is_empty() || low > legend {
        SeriesLabelPosition::LowerRight
    } else if high < 1.02 - legend {
        SeriesLabelPosition::UpperRight
    } else {
        SeriesLabelPosition::LowerLeft
    }
}

/// A bar and a sentence in the middle of the (still empty) plot.
fn draw_upstream_progress<DB: DrawingBackend>(plot: &DrawingArea<DB, Shift>, race: &Race, theme: &Theme, narrow: bool) -> DrawResult<DB> {
    let progress = race.progress();
    let config = race.config();
    let (w, h) = plot.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let bar_w = (w as f64 * 0.6) as i32;
    let bar_h = theme.px(14.0) as i32;
    let x0 = (w - bar_w) / 2;
    let y0 = h / 2 - bar_h / 2;
    let share = if progress.total > 0 { progress.done as f64 / progress.total as f64 } else { 1.0 };
    plot.draw(&Rectangle::new([(x0, y0), (x0 + bar_w, y0 + bar_h)], theme.grid.filled()))?;
    let fill = x0 + (bar_w as f64 * share.clamp(0.0, 1.0)).round() as i32;
    if fill > x0 {
        plot.draw(&Rectangle::new([(x0, y0), (fill, y0 + bar_h)], ORANGE.filled()))?;
    }
    plot.draw(&Rectangle::new([(x0, y0), (x0 + bar_w, y0 + bar_h)], theme.muted.stroke_width(theme.px(1.0))))?;
    let centre = Pos::new(HPos::Center, VPos::Center);
    let repeat = (progress.done / config.upstream_steps.max(1) as u64 + 1).min(config.repeats as u64);
    let what = if narrow { "Pre-training" } else { "Pre-training on random labels" };
    let headline = format!("{what}: {} of {} steps ({:.0}%)", progress.done, progress.total, share * 100.0);
    plot.draw(&Text::new(headline, (w / 2, y0 - theme.px(18.0) as i32), theme.font(14.0).pos(centre)))?;
    let repeats = format!("repeat {repeat} of {}, {} steps each;", config.repeats, config.upstream_steps);
    let then = format!("then {} contenders fine-tune on real labels ({} steps)", Contender::ALL.len(), config.downstream_steps);
    // Narrow: the two halves of the sentence on two lines.
    let lines = if narrow { vec![repeats, then] } else { vec![format!("{repeats} {then}")] };
    for (i, line) in lines.into_iter().enumerate() {
        let y = y0 + bar_h + theme.px(18.0 + 16.0 * i as f64) as i32;
        plot.draw(&Text::new(line, (w / 2, y), theme.muted_font(12.0).pos(centre)))?;
    }
    Ok(())
}

/// A one-sentence text alternative of what the race chart shows now (for screen readers).
pub fn describe(race: &Race) -> String {
    let progress = race.progress();
    match progress.phase {
        Phase::Upstream => format!(
            "Transfer race: pre-training on random labels, {} of {} steps done.",
            progress.done, progress.total
        ),
        _ => {
            let curves = race.curves();
            let parts: Vec<String> = curves
                .iter()
                .filter_map(|c| c.points.last().map(|p| format!("{} {}", c.contender.label(), percent(p.test_accuracy))))
                .collect();
            let step = race.steps().last().copied().unwrap_or(0);
            format!("Transfer race at downstream step {step}: mean test accuracy {}.", parts.join(", "))
        }
    }
}
