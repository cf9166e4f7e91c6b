using System.Collections.ObjectModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Metrics;
using MseLab.Experiments.Presets;

namespace MseLab.Experiments.Paper;

/// <summary>
/// The published MSE-Adapter results MseLab compares with: the authors' logged 5-seed means and third-party reproductions
/// (spec section 6), read from <c>Paper/published-results.json</c>, embedded in this assembly. The paper's printed tables
/// could not be retrieved; these rows are the best available stand-in and say where each comes from.
/// </summary>
public static class PublishedResults
{
    /// <summary>The embedded file's resource name.</summary>
    public const string ResourceName = "MseLab.Experiments.Paper.published-results.json";

    /// <summary>The file stores what the logs print: percentages, MAE x100 too.</summary>
    public const double FileScale = 100;

    private static readonly Lazy<IReadOnlyList<PublishedResult>> Embedded = new(() =>
    {
        using var stream = typeof(PublishedResults).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(PublishedResults).Assembly.GetName().Name}.");
        return Load(stream, ResourceName);
    });

    /// <summary>Every row, in file order.</summary>
    public static IReadOnlyList<PublishedResult> All => Embedded.Value;

    /// <summary>The reference row for a backbone family on a dataset, or null when the authors' logs have none (LLaMA2-7B, MOSI, SIMS).</summary>
    public static PublishedResult? Reference(BackboneFamily family, PaperDataset dataset) =>
        All.SingleOrDefault(r => r.IsReference && r.Family == family && r.Dataset == dataset);

    /// <summary>Every row for a backbone family on a dataset (logged batches and reproductions), in file order.</summary>
    public static IReadOnlyList<PublishedResult> For(BackboneFamily family, PaperDataset dataset) =>
        [.. All.Where(r => r.Family == family && r.Dataset == dataset)];

    /// <summary>
    /// Reads and checks a published-results file: known backbones, paper datasets and kinds; metric names of the dataset's
    /// task; unique ids; exactly one reference (a logged row, with its reason) per backbone x dataset that has logged rows.
    /// </summary>
    /// <exception cref="InvalidDataException">Anything wrong, naming <paramref name="name"/> and the row.</exception>
    public static IReadOnlyList<PublishedResult> Load(Stream stream, string name)
    {
        FileDto file;
        try
        {
            file = JsonSerializer.Deserialize<FileDto>(stream, JsonOptions) ?? throw new InvalidDataException($"{name}: empty file.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{name}: not a published-results file ({e.Message}).", e);
        }

        var rows = (file.Results ?? []).Select((row, i) => Read(row, $"{name}: results[{i}] ('{row.Id}')")).ToList();
        foreach (var id in rows.GroupBy(r => r.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            throw new InvalidDataException($"{name}: id '{id}' is used by more than one row; ids must be unique.");
        }

        foreach (var pair in rows.Where(r => r.Kind == PublishedResultKind.Logged).GroupBy(r => (r.Family, r.Dataset)))
        {
            var references = pair.Count(r => r.IsReference);
            if (references != 1)
            {
                throw new InvalidDataException(
                    $"{name}: {BackboneFamilies.PaperName(pair.Key.Family)} on {PaperDatasets.Info(pair.Key.Dataset).Name} has {references} " +
                    $"reference rows among its logged rows ({string.Join(", ", pair.Select(r => r.Id))}); mark exactly one \"reference\": true.");
            }
        }

        return rows;
    }

    private static PublishedResult Read(RowDto row, string where)
    {
        if (string.IsNullOrWhiteSpace(row.Id))
        {
            throw new InvalidDataException($"{where}: 'id' is missing.");
        }

        var kind = row.Kind switch
        {
            "logged" => PublishedResultKind.Logged,
            "reproduction" => PublishedResultKind.Reproduction,
            _ => throw new InvalidDataException($"{where}: kind '{row.Kind}' is not known; use logged or reproduction."),
        };
        if (!BackboneFamilies.TryParsePaperName(row.Backbone, out var family))
        {
            throw new InvalidDataException($"{where}: backbone '{row.Backbone}' is not known; use one of {string.Join(", ", BackboneFamilies.PaperNames)}.");
        }

        if (!PaperDatasets.TryParse(row.Dataset, out var dataset) || !PaperDatasets.Info(dataset).InPaper)
        {
            throw new InvalidDataException($"{where}: dataset '{row.Dataset}' is not one of the paper's: {string.Join(", ", PaperPresets.Datasets)}.");
        }

        if (row.Seeds < 1)
        {
            throw new InvalidDataException($"{where}: 'seeds' must be at least 1.");
        }

        if (row.Reference && (kind != PublishedResultKind.Logged || string.IsNullOrWhiteSpace(row.Why)))
        {
            throw new InvalidDataException($"{where}: a reference must be a logged row and say why it is the reference ('why').");
        }

        if (row.Source is not { Repository.Length: > 0, Path.Length: > 0, Batch.Length: > 0, Config.Length: > 0 } source)
        {
            throw new InvalidDataException($"{where}: 'source' needs repository, path, batch and config.");
        }

        var known = MetricKeys.For(PaperDatasets.Info(dataset).Metrics);
        if (row.Metrics is not { Count: > 0 } metrics)
        {
            throw new InvalidDataException($"{where}: 'metrics' is empty.");
        }

        foreach (var (key, value) in metrics)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                throw new InvalidDataException($"{where}: metric '{key}' is not a {row.Dataset} metric; known: {string.Join(", ", known)}.");
            }

            if (!double.IsFinite(value))
            {
                throw new InvalidDataException($"{where}: metric '{key}' is not a finite number.");
            }
        }

        // The task's key order, whatever order the file lists them in.
        var ordered = new OrderedDictionary<string, double>();
        foreach (var key in known.Where(metrics.ContainsKey))
        {
            ordered.Add(key, metrics[key] / FileScale);
        }

        return new PublishedResult(row.Id, kind, family, dataset, row.Seeds, row.Reference, row.Why,
            new PublishedSource(source.Repository, source.Path, source.Batch, source.Config), new ReadOnlyDictionary<string, double>(ordered));
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // A misspelt key ("refrence") must not pass silently.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    // The prose fields document the file for its readers; only the rows are data.
    private sealed record FileDto(string? About, string? Units, string? ReferenceRule, string? NotPublished, IReadOnlyList<RowDto>? Results);

    private sealed record RowDto(
        string Id, string Kind, string Backbone, string Dataset, int Seeds, bool Reference, string? Why, SourceDto? Source,
        Dictionary<string, double>? Metrics);

    private sealed record SourceDto(string Repository, string Path, string Batch, string Config);
}
