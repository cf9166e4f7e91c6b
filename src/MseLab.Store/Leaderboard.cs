using System.Globalization;
using System.Text.Json;
using MseLab.Experiments.Trials;
using MseLab.Store.Records;

namespace MseLab.Store;

/// <summary>
/// Groups finished cells and summarises every test metric as mean and std. By default a group is a seed group (the
/// same configuration under different seeds), labelled by sweep, backbone family, backbone, dataset and learning rate, so that
/// a sweep over several families reads family by family.
/// </summary>
public static class Leaderboard
{
    public static readonly IReadOnlyList<string> DefaultGroupBy = ["sweep", "family", "backbone", "dataset", "lr"];

    private static readonly Dictionary<string, Func<TrialRow, string>> Fixed = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sweep"] = t => t.SweepId,
        ["family"] = t => FindProperty(t.ResolvedConfig, "BackboneFamily") ?? "",
        ["backbone"] = t => t.Backbone,
        // The identity writes the precision only when it is not the default (earlier keys stay), so absent means fp32.
        ["precision"] = t => FindProperty(t.ResolvedConfig, "Precision") ?? "fp32",
        ["dataset"] = t => t.Dataset,
        // The dataset without its pin or parameters (mosei@3f2a... -> mosei, synthetic:mosei?train=64 -> synthetic:mosei).
        ["dataset_name"] = t => DatasetNames.Of(t.Dataset),
        ["seed"] = t => t.Seed.ToString(CultureInfo.InvariantCulture),
        ["lr"] = t => t.LearningRate.ToString("G6", CultureInfo.InvariantCulture),
        ["seed_group"] = t => t.SeedGroup,
    };

    /// <summary>Builds the groups; <paramref name="groupBy"/> null means seed groups. Unknown fields throw, listing the valid ones.</summary>
    public static IReadOnlyList<LeaderboardGroup> Build(IReadOnlyList<TrialRow> trials, IReadOnlyList<string>? groupBy) =>
        Group(trials, groupBy)
            .Select(g =>
            {
                var done = g.Trials.Where(t => t.Status == TrialStatus.Succeeded).ToList();
                var names = done.SelectMany(t => t.Test.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
                var metrics = names.ToDictionary(n => n, n => Summarise(done.Where(t => t.Test.ContainsKey(n)).Select(t => t.Test[n]).ToList()), StringComparer.Ordinal);
                return new LeaderboardGroup(g.Fields, done.Count, g.Trials.Count, metrics);
            })
            .OrderBy(g => string.Join("\n", g.Fields.Values), StringComparer.Ordinal)
            .ToList();

    /// <summary>The cells of each group, labelled by the group-by fields (as <see cref="Build"/> groups them).</summary>
    internal static IReadOnlyList<TrialGroup> Group(IReadOnlyList<TrialRow> trials, IReadOnlyList<string>? groupBy)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var fields = groupBy ?? DefaultGroupBy;
        var selectors = fields.Select(f => (Name: f, Select: Selector(f, trials))).ToList();
        var keyOf = groupBy is null
            ? (Func<TrialRow, string>)(t => t.SweepId + "\n" + t.SeedGroup)
            : t => string.Join("\n", selectors.Select(s => s.Select(t)));
        return trials
            .GroupBy(keyOf, StringComparer.Ordinal)
            .Select(g => new TrialGroup(selectors.ToDictionary(s => s.Name, s => s.Select(g.First()), StringComparer.Ordinal), g.ToList()))
            .ToList();
    }

    /// <summary>Mean and sample std of the finite values (NaN and infinities left out).</summary>
    internal static MetricSummary Summarise(List<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0)
        {
            return new MetricSummary(double.NaN, null);
        }

        var mean = finite.Average();
        double? std = finite.Count < 2 ? null : Math.Sqrt(finite.Sum(v => (v - mean) * (v - mean)) / (finite.Count - 1));
        return new MetricSummary(mean, std);
    }

    private static Func<TrialRow, string> Selector(string field, IReadOnlyList<TrialRow> trials)
    {
        if (Fixed.TryGetValue(field, out var fixedSelector))
        {
            return fixedSelector;
        }

        // Any resolved hyperparameter, in snake_case (batch_size, warm_up_epochs, pseudo_tokens, ...).
        var property = field.Replace("_", "", StringComparison.Ordinal);
        var sample = trials.Count > 0 ? trials[0] : null;
        if (sample is not null)
        {
            _ = ConfigKey(field, sample.ResolvedConfig);
        }

        return t => FindProperty(t.ResolvedConfig, property) ?? "";
    }

    /// <summary>Whether <paramref name="field"/> is a column or a fixed label (not a hyperparameter of the resolved configuration).</summary>
    internal static bool IsFixed(string field) => Fixed.ContainsKey(field);

    /// <summary>
    /// The key of the resolved configuration <paramref name="sampleConfig"/> that the hyperparameter <paramref name="field"/>
    /// (snake_case) names, as <see cref="Build"/> finds it; unknown fields throw, listing the valid ones.
    /// </summary>
    internal static string ConfigKey(string field, string sampleConfig)
    {
        var property = field.Replace("_", "", StringComparison.Ordinal);
        using var document = JsonDocument.Parse(sampleConfig);
        foreach (var p in document.RootElement.EnumerateObject())
        {
            if (string.Equals(p.Name, property, StringComparison.OrdinalIgnoreCase))
            {
                return p.Name;
            }
        }

        var valid = Fixed.Keys.Concat(document.RootElement.EnumerateObject().Select(p => Snake(p.Name))).Distinct(StringComparer.OrdinalIgnoreCase);
        throw new ArgumentException($"Cannot group by '{field}'. Valid fields: {string.Join(", ", valid)}.");
    }

    /// <summary>A configuration value as <see cref="Build"/> labels it, from its JSON text: a string unquoted, anything else as written.</summary>
    internal static string? JsonLabel(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString() : document.RootElement.GetRawText();
    }

    private static string? FindProperty(string json, string name)
    {
        using var document = JsonDocument.Parse(json);
        foreach (var p in document.RootElement.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
            }
        }

        return null;
    }

    private static string Snake(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
