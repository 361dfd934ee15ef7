//! Curves over training steps: misalignment in the data basis against a random basis (the
//! paper's picture: alignment is the gap that opens), the alignment share against its chance
//! level, and the training loss and accuracy.

use super::{house_style, DrawResult, Theme};
use crate::experiment::{Experiment, Record};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Three charts in a row when the area is wide, stacked when it is tall.
pub fn draw_all<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, experiment: &Experiment, theme: &Theme) -> DrawResult<DB> {
    area.fill(&theme.background)?;
    let (w, h) = area.dim_in_pixel();
    let parts = if w as f64 > 1.8 * h as f64 { area.split_evenly((1, 3)) } else { area.split_evenly((3, 1)) };
    draw_misalignment(&parts[0], experiment, theme)?;
    draw_alignment(&parts[1], experiment, theme)?;
    draw_training(&parts[2], experiment, theme)
}

fn step_range(history: &[Record]) -> std::ops::Range<f64> {
    0.0..history.last().map(|r| r.step as f64).unwrap_or(0.0).max(1.0)
}

fn step_label(v: &f64) -> String {
    // Steps are whole: before the first step the axis runs 0..1 and would print "0 0 1".
    if (v - v.round()).abs() > 1e-9 {
        String::new()
    } else if *v >= 10_000.0 {
        format!("{:.0}k", v / 1000.0)
    } else {
        format!("{v:.0}")
    }
}

/// The first of `choices` (longest first) that fits in `room` pixels at this font size: with
/// three charts in a row, or the larger type of lecture mode, the long wording would run into
/// the next chart.
fn fitting<'s, DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, theme: &Theme, size: f64, room: u32, choices: &[&'s str]) -> &'s str {
    let font = theme.font(size);
    let fits = |text: &&str| area.estimate_text_size(text, &font).map_or(true, |(w, _)| w <= room);
    choices.iter().copied().find(fits).unwrap_or(choices[choices.len() - 1])
}

/// A caption (14 px) that fits the area's width.
fn title<'s, DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, theme: &Theme, choices: &[&'s str]) -> &'s str {
    // The builder's margins: 8 px left, 16 px right.
    fitting(area, theme, 14.0, area.dim_in_pixel().0.saturating_sub(theme.px(24.0)), choices)
}

/// The plot's height: the area less its margins, caption and x-axis labels.
fn plot_height<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, theme: &Theme) -> u32 {
    let taken = theme.px(8.0) * 2 + theme.px(40.0) + theme.px(14.0) * 2;
    area.dim_in_pixel().1.saturating_sub(taken)
}

/// A y-axis description (13 px, turned) that fits the plot's height.
fn y_desc<'s, DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, theme: &Theme, choices: &[&'s str]) -> &'s str {
    fitting(area, theme, 13.0, plot_height(area, theme), choices)
}

/// At most `most` y labels, fewer on a short plot (a 720p projector in lecture mode), so that
/// they keep a line of space between them.
fn y_labels<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, theme: &Theme, most: usize) -> usize {
    (plot_height(area, theme) / theme.px(26.0).max(1)).clamp(2, most as u32) as usize
}

fn builder<'a, 'b, DB: DrawingBackend>(area: &'a DrawingArea<DB, Shift>, title: &'b str, theme: &Theme) -> ChartBuilder<'a, 'b, DB> {
    let mut b = ChartBuilder::on(area);
    b.margin(theme.px(8.0))
        .margin_right(theme.px(16.0))
        .caption(title, theme.font(14.0))
        .x_label_area_size(theme.px(40.0))
        .y_label_area_size(theme.px(52.0));
    b
}

/// M(data eigenbasis) and M(random basis), log scale.
pub fn draw_misalignment<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, experiment: &Experiment, theme: &Theme) -> DrawResult<DB> {
    area.fill(&theme.background)?;
    let history = experiment.history();
    let floor = 1e-6;
    let values = history.iter().flat_map(|r| [r.misalignment, r.misalignment_random]).filter(|v| v.is_finite());
    let (lo, hi) = values.fold((f64::INFINITY, 0.0f64), |(lo, hi), v| (lo.min(v.max(floor)), hi.max(v)));
    // At least two decades, centred on the data: a log axis labels only powers of ten, and
    // one decade may hold a single label.
    let (lo, hi) = if lo.is_finite() && hi > 0.0 { (lo / 2.0, hi * 2.0) } else { (floor, 1.0) };
    let (lo, hi) = if hi / lo < 100.0 {
        let centre = (lo * hi).sqrt();
        (centre / 10.0, centre * 10.0)
    } else {
        (lo, hi)
    };
    let caption = title(area, theme, &["M: data basis (blue) vs random (grey)", "M: data (blue), random (grey)", "M: data vs random"]);
    let axis = y_desc(area, theme, &["M, summed over basis", "M (sum)"]);
    let mut chart = builder(area, caption, theme).build_cartesian_2d(step_range(history), (lo..hi).log_scale())?;
    house_style(&mut chart.configure_mesh(), theme)
        .x_desc("training step")
        .y_desc(axis)
        .x_labels(4)
        .y_labels(y_labels(area, theme, 4))
        .x_label_formatter(&step_label)
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .draw()?;
    let width = theme.px(2.5);
    let random = theme.muted;
    chart
        .draw_series(DashedLineSeries::new(
            history.iter().map(|r| (r.step as f64, r.misalignment_random.max(floor))),
            theme.px(7.0),
            theme.px(4.0),
            random.stroke_width(width),
        ))?;
    let data = theme.data;
    chart
        .draw_series(LineSeries::new(history.iter().map(|r| (r.step as f64, r.misalignment.max(floor))), data.stroke_width(width)))?;
    Ok(())
}

/// The alignment share A with its chance level 2/(d+2).
pub fn draw_alignment<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, experiment: &Experiment, theme: &Theme) -> DrawResult<DB> {
    area.fill(&theme.background)?;
    let history = experiment.history();
    let chance = 2.0 / (experiment.config().dim as f64 + 2.0);
    let caption = if experiment.distribution().is_isotropic() {
        title(area, theme, &["Alignment share: 1 (isotropic data)", "A = 1 (isotropic data)"])
    } else {
        title(area, theme, &["Alignment share A (dashed: chance)", "Alignment A (dashed: chance)", "Alignment A"])
    };
    let axis = y_desc(area, theme, &["A (1 = aligned)", "A"]);
    let mut chart = builder(area, caption, theme).build_cartesian_2d(step_range(history), 0.0..1.05)?;
    house_style(&mut chart.configure_mesh(), theme)
        .x_desc("training step")
        .y_desc(axis)
        .x_labels(4)
        .y_labels(y_labels(area, theme, 6))
        .x_label_formatter(&step_label)
        .y_label_formatter(&|v| format!("{v:.1}"))
        .draw()?;
    let range = step_range(history);
    let muted = theme.muted;
    chart
        .draw_series(DashedLineSeries::new(
            vec![(range.start, chance), (range.end, chance)],
            theme.px(7.0),
            theme.px(4.0),
            muted.stroke_width(theme.px(1.5)),
        ))?;
    let weights = theme.weights;
    chart
        .draw_series(LineSeries::new(history.iter().map(|r| (r.step as f64, r.alignment)), weights.stroke_width(theme.px(2.5))))?;
    Ok(())
}

/// Mean minibatch loss (left axis) and accuracy (right axis).
pub fn draw_training<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, experiment: &Experiment, theme: &Theme) -> DrawResult<DB> {
    area.fill(&theme.background)?;
    let history = experiment.history();
    let max_loss = history.iter().map(|r| r.loss).filter(|v| v.is_finite()).fold(0.0f64, f64::max);
    // A little headroom above the loss curve.
    let max_loss = if max_loss > 0.0 { max_loss * 1.1 } else { 1.0 };
    let caption = title(area, theme, &["Loss (solid), accuracy (dashed)", "Loss, accuracy (dashed)", "Loss, accuracy"]);
    let axis = y_desc(area, theme, &["cross-entropy (nats)", "loss (nats)"]);
    let mut chart = builder(area, caption, theme)
        .right_y_label_area_size(theme.px(58.0))
        .build_cartesian_2d(step_range(history), 0.0..max_loss)?
        .set_secondary_coord(step_range(history), 0.0..1.05);
    house_style(&mut chart.configure_mesh(), theme)
        .x_desc("training step")
        .y_desc(axis)
        .x_labels(4)
        .y_labels(y_labels(area, theme, 4))
        .x_label_formatter(&step_label)
        .y_label_formatter(&|v| format!("{v:.1}"))
        .draw()?;
    chart
        .configure_secondary_axes()
        .y_desc("accuracy")
        .axis_desc_style(theme.font(13.0))
        .label_style(theme.muted_font(12.0))
        .y_labels(y_labels(area, theme, 4))
        .axis_style(theme.muted.stroke_width(theme.px(1.0)))
        .y_label_formatter(&|v| format!("{:.0}%", v * 100.0))
        .draw()?;
    let ink = theme.ink;
    chart
        .draw_series(LineSeries::new(history.iter().map(|r| (r.step as f64, r.loss)), ink.stroke_width(theme.px(2.0))))?;
    let muted = theme.muted;
    chart
        .draw_secondary_series(DashedLineSeries::new(
            history.iter().map(|r| (r.step as f64, r.accuracy)),
            theme.px(6.0),
            theme.px(3.0),
            muted.stroke_width(theme.px(2.0)),
        ))?;
    Ok(())
}
