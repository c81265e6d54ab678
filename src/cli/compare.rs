//! `overlap compare A B`: the fact diff of two articles.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use overlap::facts::{compare, terms, Article, CompareOptions, Idf};
use overlap::ingest::{parse_unit, Units};
use overlap::report::compare::{diff_exporter, DiffFormat, Layout};
use overlap::{Format, Input, ReadOptions};
use rayon::prelude::*;

use super::args::{CompareArgs, DiffOutputFormat};
use super::output;
use super::Outcome;

pub fn run(args: CompareArgs) -> Result<Outcome> {
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let format = match args.format {
        Some(DiffOutputFormat::Human) => DiffFormat::Human,
        Some(DiffOutputFormat::Json) => DiffFormat::Json,
        Some(DiffOutputFormat::Md) => DiffFormat::Markdown,
        Some(DiffOutputFormat::Html) => DiffFormat::Html,
        None if to_terminal => DiffFormat::Human,
        None => DiffFormat::Json,
    };
    let reads = || -> Vec<PathBuf> {
        [&args.a, &args.b, &args.pairs]
            .into_iter()
            .flatten()
            .filter_map(|spec| article_path(spec))
            .chain(args.idf.iter().map(PathBuf::from))
            .chain(
                args.pairs
                    .iter()
                    .filter(|p| p.as_str() != "-")
                    .flat_map(|p| super::compare_pairs::referenced_files(p)),
            )
            .collect()
    };
    let [dest] = output::prepare([("-o", args.output.as_deref())], reads)?;
    let read = ReadOptions {
        text_field: args.text_field.clone(),
        id_field: args.id_field.clone(),
        date_field: None,
        keep_meta: true,
        ..ReadOptions::default()
    };
    // Term statistics from the two articles unless a corpus is named: `report` scores its
    // pairs the same way, so a pair gets one verdict whichever command shows it.
    let idf = match &args.idf {
        Some(path) => Some(corpus_idf(path, &read)?),
        None => None,
    };
    if !(0.0..=1.0).contains(&args.min_score) {
        bail!(
            "--min-score {} is out of range: use a score from 0 to 1 (default {})",
            args.min_score,
            overlap::facts::DEFAULT_MIN_SCORE
        );
    }
    let opts = CompareOptions {
        min_score: args.min_score,
        passage_words: args.passage_words,
        max_units: args.max_sentences,
        idf,
        ..CompareOptions::default()
    };
    if let Some(pairs) = &args.pairs {
        if matches!(
            format,
            DiffFormat::Human | DiffFormat::Markdown | DiffFormat::Html
        ) && args.format.is_some()
        {
            bail!("--pairs writes JSON lines: leave out --format or use --format json");
        }
        let mut outcome = Outcome::Clean;
        dest.write(|out| {
            outcome = super::compare_pairs::run(pairs, &read, &opts, out)?;
            Ok(())
        })?;
        return Ok(outcome);
    }
    let (Some(a), Some(b)) = (&args.a, &args.b) else {
        bail!("name two articles to compare, or a file of pairs with --pairs");
    };
    let a = load_article(a, &read)?;
    let b = load_article(b, &read)?;
    let diff = compare(&a, &b, &opts);
    let color = super::use_color(args.color, to_terminal);
    let width = args.width.unwrap_or_else(|| {
        let (_, cols) = console::Term::stdout().size();
        if to_terminal && cols >= 20 {
            usize::from(cols)
        } else {
            100
        }
    });
    let exporter = diff_exporter(format, Layout { width, color });
    dest.write(|out| Ok(exporter.write(&diff, out)?))?;
    Ok(Outcome::Clean)
}

/// The file an article argument reads: itself when it is a file, else the corpus of
/// `CORPUS#ID`.
pub(super) fn article_path(spec: &str) -> Option<PathBuf> {
    if spec == "-" {
        return Some(output::read_path(spec));
    }
    if Path::new(spec).is_file() {
        return Some(PathBuf::from(spec));
    }
    spec.rsplit_once('#').map(|(file, _)| PathBuf::from(file))
}

/// Reads `FILE` as one article, or `CORPUS#ID` as one record of a corpus.
pub(super) fn load_article(spec: &str, read: &ReadOptions) -> Result<Article> {
    if spec == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .context("reading standard input")?;
        return Ok(Article::new("-", text));
    }
    let path = Path::new(spec);
    if path.is_file() {
        if matches!(
            Format::from_extension(path),
            Some(Format::Jsonl | Format::Csv | Format::Tsv)
        ) {
            bail!("{spec} holds many records; name one with {spec}#ID");
        }
        let bytes = std::fs::read(path).with_context(|| format!("{spec}: cannot read"))?;
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                eprintln!(
                    "warning: {}: invalid UTF-8 at byte {} replaced with U+FFFD",
                    overlap::report::visible(spec),
                    e.utf8_error().valid_up_to()
                );
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        };
        return Ok(Article::new(spec, text));
    }
    let Some((file, id)) = spec
        .rsplit_once('#')
        .filter(|(f, _)| Path::new(f).is_file())
    else {
        bail!("{spec}: no such file (name a text file, or a record of a corpus as FILE#ID)");
    };
    let mut seen = Vec::new();
    for unit in Units::new(vec![Input::from_arg(file, None)]) {
        let Ok(parsed) = parse_unit(unit, read) else {
            continue;
        };
        if parsed.record.id == id {
            return Ok(Article::new(spec, parsed.record.text));
        }
        if seen.len() < 3 {
            seen.push(parsed.record.id);
        }
    }
    bail!(
        "{file}: no record with id {id:?} (ids there look like: {}; choose the id field with --id-field)",
        seen.iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Document frequencies of terms over every record of a corpus.
fn corpus_idf(path: &str, read: &ReadOptions) -> Result<Idf> {
    if !Path::new(path).exists() {
        bail!(
            "{path}: no such file or directory (--idf names a corpus to take term statistics from)"
        );
    }
    let mut idf = Idf::default();
    let mut units = Units::new(vec![Input::from_arg(path, None)]).peekable();
    while units.peek().is_some() {
        let batch: Vec<_> = units.by_ref().take(4096).collect();
        let term_lists: Vec<Vec<String>> = batch
            .into_par_iter()
            .filter_map(|u| parse_unit(u, read).ok())
            .map(|p| terms(&p.record.text))
            .collect();
        term_lists.iter().for_each(|t| idf.add_document(t));
    }
    if idf.documents() == 0 {
        bail!("{path}: no readable records to take term statistics from");
    }
    Ok(idf)
}
