using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MseLab.Experiments.Datasets;

/// <summary>
/// A dataset as a sweep file or a command names it, parsed once where it enters. Two kinds: a paper dataset's published
/// files under a data root, <c>NAME</c> or pinned to their content hash <c>NAME@SHA256</c> (<see cref="StoredDatasetRef"/>),
/// and synthetic data in a paper dataset's exact shapes, <c>synthetic:NAME[?train=N&amp;valid=N&amp;test=N&amp;seed=N]</c>
/// (<see cref="SyntheticDatasetRef"/>). The text form (<see cref="ToString"/>) is canonical: lower case, parameters in
/// that order, defaults left out, so that two spellings of one dataset are one trial identity. In JSON a reference is
/// that text.
/// </summary>
[JsonConverter(typeof(DatasetRefJsonConverter))]
public abstract record DatasetRef
{
    /// <summary>The paper dataset whose shapes, task and prompts the data has.</summary>
    public abstract PaperDataset Paper { get; }

    /// <summary>The paper dataset's fixed facts (shapes, task, language).</summary>
    public PaperDatasetInfo Info => PaperDatasets.Info(Paper);

    /// <summary>A short label for tables, without parameters (e.g. <c>synthetic:mosei</c>).</summary>
    public abstract string Label { get; }

    /// <summary>Parses a dataset reference; the error says what is wrong and what is valid.</summary>
    /// <exception cref="FormatException">Not a dataset reference.</exception>
    public static DatasetRef Parse(string text) =>
        TryParse(text, out var dataset, out var error) ? dataset : throw new FormatException(error);

    /// <summary>Parses a dataset reference, or says why it is not one.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out DatasetRef? dataset, [NotNullWhen(false)] out string? error)
    {
        dataset = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"A dataset is required: {Forms}.";
            return false;
        }

        return text.StartsWith(SyntheticDatasetRef.Prefix, StringComparison.OrdinalIgnoreCase)
            ? SyntheticDatasetRef.TryParseText(text, out dataset, out error)
            : StoredDatasetRef.TryParseText(text, out dataset, out error);
    }

    /// <summary>The canonical text form.</summary>
    public abstract override string ToString();

    /// <summary>
    /// A stored dataset text as tables and progress lines show it: parameters dropped (<c>synthetic:mosei</c>), a content
    /// hash cut to its first 12 digits (<c>mosei@672109045fde</c>; JSON, CSV and the store keep all 64).
    /// </summary>
    public static string Display(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var query = text.IndexOf('?', StringComparison.Ordinal);
        var shown = query < 0 ? text : text[..query];
        var at = shown.IndexOf(StoredDatasetRef.HashSeparator, StringComparison.Ordinal);
        const int Digits = 12;
        return at >= 0 && shown.Length - at - 1 > Digits ? shown[..(at + 1 + Digits)] : shown;
    }

    /// <summary>The ways to name a dataset, for errors.</summary>
    internal static string Forms =>
        $"use NAME (the published files under a data root), NAME@SHA256 (those files with that content hash) or {SyntheticDatasetRef.Prefix}NAME, NAME one of {string.Join(", ", PaperDatasets.Names)}";
}

/// <summary>
/// Generated data in <see cref="Paper"/>'s shapes with a planted signal. The data seed is separate from the trial seed, so
/// the seeds of one configuration train on the same data.
/// </summary>
public sealed record SyntheticDatasetRef(PaperDataset Paper, int Train = 480, int Valid = 96, int Test = 160, int Seed = 0) : DatasetRef
{
    public const string Prefix = "synthetic:";

    private static readonly SyntheticDatasetRef Defaults = new(PaperDataset.Mosei);

    public override PaperDataset Paper { get; } = Paper;

    public override string Label => Prefix + Info.Name;

    public override string ToString()
    {
        var parameters = new List<string>(4);
        void Add(string key, int value, int standard)
        {
            if (value != standard)
            {
                parameters.Add(string.Create(CultureInfo.InvariantCulture, $"{key}={value}"));
            }
        }

        Add("train", Train, Defaults.Train);
        Add("valid", Valid, Defaults.Valid);
        Add("test", Test, Defaults.Test);
        Add("seed", Seed, Defaults.Seed);
        return parameters.Count == 0 ? Label : $"{Label}?{string.Join('&', parameters)}";
    }

    internal static bool TryParseText(string text, [NotNullWhen(true)] out DatasetRef? dataset, [NotNullWhen(false)] out string? error)
    {
        dataset = null;
        var body = text[Prefix.Length..];
        var query = "";
        var q = body.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = body[(q + 1)..];
            body = body[..q];
        }

        if (!PaperDatasets.TryParse(body, out var paper))
        {
            error = $"Unknown dataset '{body}' in '{text}'. Valid datasets: {string.Join(", ", PaperDatasets.Names)}.";
            return false;
        }

        var spec = new SyntheticDatasetRef(paper);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            if (!seen.Add(parts[0]))
            {
                error = $"Dataset '{text}': '{parts[0]}' is given twice.";
                return false;
            }

            if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 0)
            {
                error = $"Dataset '{text}': '{pair}' must be key=non-negative integer (train, valid, test, seed).";
                return false;
            }

            switch (parts[0])
            {
                case "train": spec = spec with { Train = value }; break;
                case "valid": spec = spec with { Valid = value }; break;
                case "test": spec = spec with { Test = value }; break;
                case "seed": spec = spec with { Seed = value }; break;
                default:
                    error = $"Dataset '{text}': unknown parameter '{parts[0]}' (use train, valid, test, seed).";
                    return false;
            }
        }

        if (spec.Train < 1 || spec.Valid < 1 || spec.Test < 1)
        {
            error = $"Dataset '{text}': every split needs at least one sample.";
            return false;
        }

        (dataset, error) = (spec, null);
        return true;
    }
}

/// <summary>A <see cref="DatasetRef"/> in JSON: its canonical text.</summary>
public sealed class DatasetRefJsonConverter : JsonConverter<DatasetRef>
{
    public override DatasetRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DatasetRef.TryParse(reader.GetString(), out var dataset, out var error) ? dataset : throw new JsonException(error);

    public override void Write(Utf8JsonWriter writer, DatasetRef value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(value.ToString());
    }
}
