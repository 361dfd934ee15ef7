//! The guided story: named presets that walk through the paper's argument, one claim each.
//! Each chapter is one query string (so one URL) and a sentence or two for the reader; the
//! claims are checked over several seeds in `tests/story.rs` (the last three, the transfer
//! race, in `tests/transfer.rs`).

use serde::Serialize;

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Chapter {
    pub id: &'static str,
    pub title: &'static str,
    /// Settings that differ from the defaults.
    pub query: &'static str,
    pub text: &'static str,
    /// Steps to play before the claim is visible (the page autoplays to about here).
    pub steps: u32,
    /// `alignment`: the live alignment view; `race`: the transfer race panel, run to the end.
    pub kind: &'static str,
}

const fn race(index: usize) -> Chapter {
    let (id, title, query, text) = crate::transfer::PRESETS[index];
    Chapter { id, title, query, text, steps: 0, kind: "race" }
}

pub const STORY: &[Chapter] = &[
    Chapter {
        id: "isotropic",
        title: "Nothing to align with",
        query: "spectrum=iso",
        text: "When the data looks the same in every direction, every weight covariance counts as aligned: the alignment share is 1 trivially, and the weight ellipse only wanders with the noise of a finite layer.",
        steps: 1500,
        kind: "alignment",
    },
    Chapter {
        id: "rotation",
        title: "The weights turn onto the data's axes",
        query: "",
        text: "Give the data a long axis and train on labels that mean nothing. Within a few hundred steps the weight ellipse turns until its axes lie on the data's (dashed) — often across the data ellipse: the weights shrink along the loud direction. That is still alignment.",
        steps: 800,
        kind: "alignment",
    },
    Chapter {
        id: "symmetry",
        title: "Rotate the data: the weights follow",
        query: "basis=angle:75",
        text: "Tilt the data by another angle and the weights end up on its axes again. Nothing in the setup prefers a direction except the data itself — isotropic init, Gaussian inputs, labels independent of x, SGD — so the result must turn with the data. A symmetry, not a coincidence.",
        steps: 800,
        kind: "alignment",
    },
    Chapter {
        id: "aniso-init",
        title: "Break it: a stretched init",
        query: "init=aniso:3",
        text: "Start the weights three times wider along x₁. The symmetry argument no longer applies: the weight ellipse keeps a memory of its init and settles between the init's axis and the data's.",
        steps: 1500,
        kind: "alignment",
    },
    Chapter {
        id: "teacher",
        title: "Break it: labels that depend on x",
        query: "dim=4&spectrum=power:1&labels=teacher",
        text: "Real labels from a fixed random linear rule, in 4-D: the network learns the rule (accuracy climbs to 100%) and its weights are shaped by the rule, not by the data's covariance alone. The gap between the two misalignment curves barely opens and the alignment share stays low; switch labels to random to compare.",
        steps: 1500,
        kind: "alignment",
    },
    Chapter {
        id: "adam",
        title: "Adam breaks the symmetry; SGD keeps it",
        query: "dim=8&spectrum=power:1&basis=random&hidden=512&optimizer=adam&lr=0.003",
        text: "Adam rescales every coordinate on its own. When the data's axes are not the coordinate axes, that favours directions the data knows nothing about: the alignment share stays low. Switch the optimizer to sgd (lr 0.2) and watch it rise.",
        steps: 1500,
        kind: "alignment",
    },
    Chapter {
        id: "higher-d",
        title: "Sixteen dimensions: overlap and the eigenvalue map",
        query: "dim=16&spectrum=power:1&hidden=512",
        text: "With 16 inputs the panels show the top two data directions. The overlap heatmap sharpens towards a permutation, and the eigenvalue map f(σ) falls with σ: random labels partially whiten the first layer along the data's own axes.",
        steps: 600,
        kind: "alignment",
    },
    Chapter {
        id: "online",
        title: "Fixed labels or fresh ones every step",
        query: "samples=0",
        text: "Online: fresh points and fresh random labels at every step, so there is nothing to memorise and accuracy stays at chance. The weights align all the same — with the only structure there is, the data's shape.",
        steps: 1500,
        kind: "alignment",
    },
    race(0),
    race(1),
    race(2),
];

/// The story as JSON, for the page.
pub fn story_json() -> String {
    serde_json::to_string(STORY).expect("static data serialises")
}
