//! The settings vocabulary: every key of `KEYS` reads back what it writes, and every way of
//! getting a value wrong produces its own message that names the key.

use covalign::config::{Config, Spectrum, KEYS};
use covalign::Error;
use std::collections::{BTreeMap, HashSet};

/// A valid value different from the default, for every key (valid on its own on top of the
/// defaults, i.e. with d = 2). Values are chosen to stress the text form: floats that need 17
/// digits, tiny and huge numbers, negative angles.
fn non_default(key: &str) -> &'static str {
    match key {
        "seed" => "4294967295",
        "dim" => "7",
        "spectrum" => "list:0.30000000000000004,1.5e-6",
        "basis" => "angle:-12.345678901234567",
        "samples" => "0",
        "labels" => "teacher",
        "classes" => "64",
        "hidden" => "1",
        "hidden2" => "17",
        "activation" => "tanh",
        "init" => "aniso:0.001",
        "init_scale" => "0.1",
        "optimizer" => "adam",
        "lr" => "0.0000001",
        "momentum" => "0.999",
        "weight_decay" => "0.000123",
        "batch" => "4096",
        "ensemble" => "3",
        "proj" => "2,1",
        "task" => "top:2",
        "transfer" => "all",
        "upstream_steps" => "0",
        "downstream_steps" => "100000",
        "downstream_lr" => "1000",
        "downstream_classes" => "2",
        "repeats" => "64",
        other => panic!("key '{other}' has no non-default value in tests/config.rs: add one"),
    }
}

/// Other valid values, exercising every variant of the richer keys. Each must be valid on
/// top of `dim=16` (the config these are applied to).
fn more_values(key: &str) -> &'static [&'static str] {
    match key {
        "spectrum" => &["iso", "power:0", "power:8", "power:1.5", "step:3:0.001", "step:16:1000", "list:1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16"],
        "basis" => &["axis", "random", "angle:0", "angle:360", "angle:-360", "angle:1e-300"],
        "init" => &["iso", "aniso:1000", "aniso:3"],
        "task" => &["teacher", "white", "random", "low:1", "low:16", "top:16"],
        "proj" => &["1,16", "16,3"],
        "lr" => &["1000000", "0.3", "1e-7"],
        _ => &[],
    }
}

/// One invalid value for every key; each must give an error that names the key.
fn invalid(key: &str) -> &'static str {
    match key {
        "seed" => "-1",
        "dim" => "1",
        "spectrum" => "gamma:2",
        "basis" => "diagonal",
        "samples" => "20001",
        "labels" => "noisy",
        "classes" => "65",
        "hidden" => "0",
        "hidden2" => "4097",
        "activation" => "gelu",
        "init" => "aniso",
        "init_scale" => "0",
        "optimizer" => "rmsprop",
        "lr" => "fast",
        "momentum" => "1",
        "weight_decay" => "-0.1",
        "batch" => "0",
        "ensemble" => "65",
        "proj" => "1,1",
        "task" => "middle:2",
        "transfer" => "none",
        "upstream_steps" => "100001",
        "downstream_steps" => "0",
        "downstream_lr" => "NaN",
        "downstream_classes" => "1",
        "repeats" => "1.5",
        other => panic!("key '{other}' has no invalid value in tests/config.rs: add one"),
    }
}

fn round_trip(config: &Config) -> Config {
    let query = config.to_query();
    let back = Config::from_query(&query).unwrap_or_else(|e| panic!("'{query}' does not read back: {e}"));
    assert_eq!(back.to_query(), query, "the text form is not stable");
    back
}

#[test]
fn every_key_is_listed_once_and_appears_in_the_query_in_table_order() {
    let names: Vec<&str> = KEYS.iter().map(|k| k.name).collect();
    let unique: HashSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "duplicate key names: {names:?}");
    let query = Config::default().to_query();
    let in_query: Vec<&str> = query.split('&').map(|p| p.split_once('=').expect("key=value").0).collect();
    assert_eq!(in_query, names);
    for k in KEYS {
        assert!(!k.help.trim().is_empty(), "key '{}' has no help", k.name);
    }
}

#[test]
fn the_default_config_round_trips_through_the_query_string_exactly() {
    let config = Config::default();
    assert_eq!(round_trip(&config), config);
    assert_eq!(Config::from_query("").unwrap(), config);
    assert_eq!(Config::from_query("?").unwrap(), config);
    assert_eq!(config.to_query_changed(), "");
}

#[test]
fn every_key_round_trips_a_non_default_value_exactly() {
    let defaults = Config::default();
    for k in KEYS {
        let value = non_default(k.name);
        let mut config = Config::default();
        config.set(k.name, value).unwrap_or_else(|e| panic!("{}={value}: {e}", k.name));
        assert_ne!(k.get(&config), k.get(&defaults), "{}={value} is the default: pick another test value", k.name);
        assert_eq!(round_trip(&config), config, "key {}", k.name);
        // What the key reads back is the value as written (up to number formatting, checked
        // by parsing both).
        let mut reparsed = Config::default();
        reparsed.set(k.name, &k.get(&config)).unwrap();
        assert_eq!(reparsed, config, "key {}: get() does not set back the same value", k.name);
        // The short link holds exactly this key.
        assert_eq!(config.to_query_changed().split('&').count(), 1, "key {}: {}", k.name, config.to_query_changed());
        assert_eq!(Config::from_query(&config.to_query_changed()).unwrap(), config, "key {}", k.name);
    }
}

#[test]
fn every_key_round_trips_every_variant_of_its_value() {
    for k in KEYS {
        for value in more_values(k.name) {
            let mut config = Config::default();
            config.set("dim", "16").unwrap();
            config.set(k.name, value).unwrap_or_else(|e| panic!("{}={value}: {e}", k.name));
            assert_eq!(round_trip(&config), config, "{}={value}", k.name);
        }
    }
}

#[test]
fn a_config_with_every_key_changed_at_once_round_trips_exactly() {
    let mut config = Config::default();
    // dim first so that list:, proj and task fit; then every other key.
    config.set("dim", "7").unwrap();
    for k in KEYS.iter().filter(|k| k.name != "dim") {
        let value = match k.name {
            "spectrum" => "list:7,6,5,4,3,2,0.1",
            "proj" => "7,3",
            "task" => "low:5",
            name => non_default(name),
        };
        config.set(k.name, value).unwrap_or_else(|e| panic!("{}={value}: {e}", k.name));
    }
    let defaults = Config::default();
    for k in KEYS {
        assert_ne!(k.get(&config), k.get(&defaults), "key {} was not changed", k.name);
    }
    assert_eq!(round_trip(&config), config);
    assert_eq!(Config::from_query(&config.to_query_changed()).unwrap(), config);
}

#[test]
fn the_order_of_pairs_does_not_matter_for_cross_key_checks() {
    // A list for d = 3 may come before dim=3 in the text.
    let a = Config::from_query("spectrum=list:3,2,1&dim=3&proj=3,1").unwrap();
    let b = Config::from_query("dim=3&proj=3,1&spectrum=list:3,2,1").unwrap();
    assert_eq!(a, b);
    assert_eq!(a.spectrum, Spectrum::List(vec![3.0, 2.0, 1.0]));
}

#[test]
fn every_key_rejects_an_invalid_value_with_its_own_message_naming_the_key() {
    let mut messages = BTreeMap::new();
    for k in KEYS {
        let value = invalid(k.name);
        let mut config = Config::default();
        let before = config.clone();
        let error = config.set(k.name, value).expect_err(&format!("{}={value} was accepted", k.name));
        assert_eq!(config, before, "{}={value}: a failed set changed the config", k.name);
        assert_eq!(error.key(), Some(k.name), "{}={value}: error {error:?} names another key", k.name);
        let message = error.to_string();
        assert!(message.contains(k.name), "{}={value}: message '{message}' does not name the key", k.name);
        // The strict parser reports the same error.
        let strict = Config::from_query(&format!("{}={value}", k.name)).expect_err("strict parse accepted it");
        assert_eq!(strict, error);
        messages.insert(message, k.name);
    }
    assert_eq!(messages.len(), KEYS.len(), "two keys share a message: {messages:?}");
}

#[test]
fn numeric_keys_say_whether_a_value_is_not_a_number_or_out_of_range() {
    let mut config = Config::default();
    let not_a_number = config.set("hidden", "lots").unwrap_err();
    assert!(matches!(not_a_number, Error::NotANumber { key: "hidden", .. }), "{not_a_number:?}");
    assert!(not_a_number.to_string().contains("'lots'"), "{not_a_number}");
    let out_of_range = config.set("hidden", "5000").unwrap_err();
    assert!(matches!(out_of_range, Error::OutOfRange { key: "hidden", .. }), "{out_of_range:?}");
    let text = out_of_range.to_string();
    assert!(text.contains("5000") && text.contains("4096"), "the message gives the value and the limit: {text}");
    // NaN parses as a float but must not slip through a range check.
    for key in ["lr", "momentum", "init_scale", "weight_decay", "downstream_lr"] {
        for value in ["NaN", "nan", "inf", "-inf"] {
            let e = config.set(key, value).expect_err(&format!("{key}={value} accepted"));
            assert_eq!(e.key(), Some(key));
        }
    }
    // Integers do not take fractions or signs.
    for value in ["2.5", "-3", "1e3", ""] {
        assert!(config.set("batch", value).is_err(), "batch={value} accepted");
    }
    assert_eq!(config, Config::default());
}

#[test]
fn a_spectrum_list_that_is_empty_negative_zero_nan_or_the_wrong_length_is_rejected_clearly() {
    let cases: &[(&str, &[&str])] = &[
        ("list:", &["empty"]),
        ("list:  ", &["empty"]),
        ("list:1,-2", &["-2", "positive"]),
        ("list:1,0", &["0", "positive"]),
        ("list:1,NaN", &["NaN"]),
        ("list:1,inf", &["inf"]),
        ("list:1,abc", &["abc", "not a number"]),
        ("list:1,,2", &["not a number"]),
        ("list:1,2,3", &["3 variances", "dim is 2"]),
        ("list:5", &["1 variances", "dim is 2"]),
        ("list:1,1e7", &["1e6"]),
        ("list:1,1e-300", &["1e-6", "smaller"]),
    ];
    let mut messages = HashSet::new();
    for (value, fragments) in cases {
        let mut config = Config::default();
        let error = config.set("spectrum", value).expect_err(&format!("spectrum={value} accepted"));
        assert_eq!(error.key(), Some("spectrum"), "{value}: {error:?}");
        let message = error.to_string();
        assert!(message.starts_with("spectrum"), "{value}: '{message}' does not start with the key");
        for fragment in *fragments {
            assert!(message.contains(fragment), "spectrum={value}: '{message}' does not mention '{fragment}'");
        }
        assert_eq!(config, Config::default(), "spectrum={value} changed the config");
        messages.insert(message);
    }
    // Cases that differ in what is wrong get different messages (the two "empty" and the two
    // "wrong length" cases may legitimately share wording, except for the count).
    assert!(messages.len() >= cases.len() - 1, "messages are not specific: {messages:?}");
}

#[test]
fn cross_key_conflicts_name_the_key_and_the_dimension() {
    let e = Config::from_query("dim=3&proj=1,4").unwrap_err();
    assert_eq!(e.key(), Some("proj"));
    assert!(e.to_string().contains('3'), "{e}");
    let e = Config::from_query("dim=3&task=low:4").unwrap_err();
    assert_eq!(e.key(), Some("task"));
    let e = Config::from_query("dim=3&spectrum=step:4:2").unwrap_err();
    assert_eq!(e.key(), Some("spectrum"));
    // Changing dim alone (a reader at the page) fits the list instead of refusing: padded with
    // its last value, cut when shorter.
    let mut config = Config::from_query("dim=3&spectrum=list:3,2,1").unwrap();
    config.set("dim", "4").unwrap();
    assert_eq!(config.get("spectrum").as_deref(), Some("list:3,2,1,1"));
    config.set("dim", "2").unwrap();
    assert_eq!(config.get("spectrum").as_deref(), Some("list:3,2"));
}

#[test]
fn an_unknown_key_is_an_error_that_names_it() {
    let e = Config::from_query("dim=3&colour=blue").unwrap_err();
    assert_eq!(e, Error::UnknownKey { key: "colour".into() });
    assert!(e.to_string().contains("'colour'"), "{e}");
    let mut config = Config::default();
    assert_eq!(config.set("Dim", "3").unwrap_err(), Error::UnknownKey { key: "Dim".into() }, "keys are case-sensitive");
}

#[test]
fn a_pair_without_an_equals_sign_is_malformed() {
    let e = Config::from_query("dim=3&hidden").unwrap_err();
    assert_eq!(e, Error::Malformed { pair: "hidden".into() });
    assert!(e.to_string().contains("'hidden'") && e.to_string().contains("key=value"), "{e}");
    // Empty pairs (a trailing &, a doubled &&) are not errors.
    assert_eq!(Config::from_query("?dim=3&&hidden=8&").unwrap(), {
        let mut c = Config::default();
        c.set("dim", "3").unwrap();
        c.set("hidden", "8").unwrap();
        c
    });
}

#[test]
fn percent_encoded_keys_and_values_are_decoded() {
    let c = Config::from_query("spectrum=list%3A1.5%2C0.5").unwrap();
    assert_eq!(c.spectrum, Spectrum::List(vec![1.5, 0.5]));
    let c = Config::from_query("d%69m=3&spectrum=list:1,+2,%203").unwrap();
    assert_eq!(c.dim, 3, "an encoded key");
    assert_eq!(c.spectrum, Spectrum::List(vec![1.0, 2.0, 3.0]), "'+' and %20 are spaces, which are trimmed");
    let c = Config::from_query("basis=angle%3A-45").unwrap();
    assert_eq!(c.get("basis").unwrap(), "angle:-45");
    // Lower-case hex works too; a stray % is kept literally (and then is not a number).
    assert_eq!(Config::from_query("lr=0%2e5").unwrap().lr, 0.5);
    assert!(matches!(Config::from_query("lr=5%").unwrap_err(), Error::NotANumber { key: "lr", .. }));
    // to_query encodes nothing a query string needs and reads back.
    let mut c = Config::default();
    c.set("spectrum", "list:1,2").unwrap();
    let query = c.to_query();
    assert!(query.contains("spectrum=list:1,2"), "':' and ',' stay readable: {query}");
    assert_eq!(Config::from_query(&query).unwrap(), c);
}

#[test]
fn lenient_parsing_of_garbage_returns_the_defaults_and_one_error_per_bad_pair() {
    let (config, errors) = Config::from_query_lenient("?dim=abc&lr=-1&colour=blue&justaword&spectrum=list:&batch=x&=3");
    assert_eq!(config, Config::default());
    assert_eq!(errors.len(), 7, "{errors:?}");
    assert!(matches!(&errors[0], Error::NotANumber { key: "dim", .. }));
    assert!(matches!(&errors[1], Error::OutOfRange { key: "lr", .. }));
    assert_eq!(errors[2], Error::UnknownKey { key: "colour".into() });
    assert_eq!(errors[3], Error::Malformed { pair: "justaword".into() });
    assert_eq!(errors[4].key(), Some("spectrum"));
    assert!(matches!(&errors[5], Error::NotANumber { key: "batch", .. }));
    assert_eq!(errors[6], Error::UnknownKey { key: "".into() });
    let messages: HashSet<String> = errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(messages.len(), errors.len(), "each bad pair has its own message: {messages:?}");
}

#[test]
fn lenient_parsing_keeps_the_good_pairs_among_bad_ones() {
    let (config, errors) = Config::from_query_lenient("hidden=64&dim=zero&lr=0.05&optimizer=sgdd");
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(config.hidden, 64);
    assert_eq!(config.lr, 0.05);
    assert_eq!(config.dim, Config::default().dim);
    assert_eq!(config.optimizer, Config::default().optimizer);
}

#[test]
fn lenient_parsing_resets_only_the_key_that_conflicts_with_dim() {
    // dim=3 with a two-entry list: the list goes back to the default spectrum, dim stays.
    let (config, errors) = Config::from_query_lenient("dim=3&spectrum=list:1,2&hidden=8");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].key(), Some("spectrum"));
    assert_eq!((config.dim, config.hidden), (3, 8));
    assert_eq!(config.spectrum, Config::default().spectrum);
    assert!(config.validate().is_ok());
    // Two conflicts at once: both reported, both reset, the rest kept.
    let (config, errors) = Config::from_query_lenient("proj=7,1&task=top:9&dim=6");
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(config.dim, 6);
    assert_eq!((config.proj, config.task), (Config::default().proj, Config::default().task));
    assert!(config.validate().is_ok());
}

#[test]
fn lenient_parsing_of_a_valid_query_matches_the_strict_parser() {
    let mut c = Config::default();
    c.set("dim", "5").unwrap();
    c.set("spectrum", "step:2:4").unwrap();
    c.set("optimizer", "adam").unwrap();
    let (lenient, errors) = Config::from_query_lenient(&c.to_query());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(lenient, c);
    assert_eq!(Config::from_query(&c.to_query()).unwrap(), c);
}

#[test]
fn a_network_too_large_for_a_browser_tab_is_refused_and_the_current_one_kept() {
    // Each key is in range; together they would ask for 4 GB (ensemble 64 of a 17-million
    // parameter network), more than a wasm page can have.
    let mut config = Config::from_query("dim=128&hidden=4096").unwrap();
    let error = config.set("hidden2", "4096").unwrap_err();
    assert!(matches!(error, Error::TooLarge { .. }), "{error:?}");
    let text = error.to_string();
    assert!(text.starts_with("too large") && text.contains("hidden2") && text.contains("4 million"), "{text}");
    assert_eq!(config.hidden2, 0, "a refused change leaves the config as it was");
    // The ensemble multiplies the memory, the batch the work of a step: each has its limit.
    let ensemble = Config::from_query("hidden=4096&classes=64&ensemble=64").unwrap_err();
    assert!(ensemble.to_string().contains("ensemble 64"), "{ensemble}");
    let batch = Config::from_query("dim=128&hidden=4096&classes=64&batch=4096").unwrap_err();
    assert!(batch.to_string().contains("batch 4096"), "{batch}");
    assert_ne!(ensemble.to_string(), batch.to_string());
    // The largest single network of every key's range that fits is accepted.
    assert!(Config::from_query("dim=128&hidden=4096&hidden2=512&classes=64").is_ok());
}

#[test]
fn lenient_parsing_of_a_too_large_network_falls_back_to_the_default_sizes() {
    let (config, errors) = Config::from_query_lenient("dim=16&hidden=4096&hidden2=4096&ensemble=8&lr=0.1");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(matches!(errors[0], Error::TooLarge { .. }));
    let defaults = Config::default();
    assert_eq!((config.hidden, config.hidden2, config.ensemble), (defaults.hidden, defaults.hidden2, defaults.ensemble));
    assert_eq!((config.dim, config.lr), (16, 0.1), "the other settings are kept");
    assert!(config.validate().is_ok());
}
