//! README documents every setting: a key added to the table without a README row fails here.

use covalign::config::KEYS;

#[test]
fn readme_has_a_row_for_every_setting_with_its_default() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let defaults = covalign::Config::default();
    for key in KEYS {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", key.name)))
            .unwrap_or_else(|| panic!("README has no row for `{}`", key.name));
        let default = key.get(&defaults);
        assert!(row.contains(&format!("| {default} |")) || row.contains(&format!("| `{default}` |")), "README row for `{}` does not show its default {default}: {row}", key.name);
    }
}

#[test]
fn readme_shows_the_two_commands() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(readme.contains("npm start") && readme.contains("npm test"));
}
