using MseLab.Experiments.Metrics;

namespace MseLab.Store.Queries;

/// <summary>
/// The fields of the filter language: trial columns, hyperparameters of the resolved configuration, and metrics. The
/// hyperparameter keys are those <see cref="MseLab.Experiments.Trials.ResolvedTrial.CanonicalJson"/> writes (a stored
/// contract), in snake_case as <c>--group-by</c> names them.
/// </summary>
public static class FilterFields
{
    /// <summary>Prefix of a final test metric (<c>test.mae</c>).</summary>
    public const string TestPrefix = "test.";

    /// <summary>Prefix of a validation metric at the best epoch (<c>best_valid.mae</c>).</summary>
    public const string BestValidPrefix = "best_valid.";

    private const string Config = "t.\"ResolvedConfig\"";

    // Fields every cell of a seed group shares (the seed group is one configuration over its seeds): the trial columns
    // below and every key of the resolved configuration but the seed. A filter of only these keeps or drops whole groups.
    private static readonly HashSet<string> SeedGroupConstant = new(StringComparer.OrdinalIgnoreCase)
    {
        "sweep", "seed_group", "backbone", "dataset", "lr", "dataset_name", "family", "task", "precision",
    };

    private static readonly Dictionary<string, FilterField> Fixed = Build();

    /// <summary>Every field name except the metric families (<c>test.NAME</c>, <c>best_valid.NAME</c>).</summary>
    public static IReadOnlyCollection<string> Names => Fixed.Keys;

    /// <summary>Every metric name a trial can store (the union over the tasks).</summary>
    public static IReadOnlyList<string> MetricNames { get; } =
        Enum.GetValues<MetricsTask>().SelectMany(MetricKeys.For).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The field of that name (case-insensitive), or null.</summary>
    public static FilterField? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Fixed.TryGetValue(name, out var field))
        {
            return field;
        }

        if (name.StartsWith(TestPrefix, StringComparison.OrdinalIgnoreCase) && Metric(name[TestPrefix.Length..]) is { } test)
        {
            // One row per metric in test_metrics: a correlated lookup by the primary key (sweep, trial, name).
            return new(TestPrefix + test, FilterFieldKind.Number, (_, arg) =>
                $"(SELECT m.\"Value\" FROM test_metrics AS m WHERE m.\"SweepId\" = t.\"SweepId\" AND m.\"TrialKey\" = t.\"Key\" AND m.\"Name\" = {arg(test)})");
        }

        if (name.StartsWith(BestValidPrefix, StringComparison.OrdinalIgnoreCase) && Metric(name[BestValidPrefix.Length..]) is { } valid)
        {
            // The validation metrics of the epoch the trial kept as its best (trials.BestEpoch).
            return new(BestValidPrefix + valid, FilterFieldKind.Number, (d, arg) =>
                $"(SELECT {d.JsonNumber("e.\"Validation\"", arg(d.JsonKey(valid)))} FROM epochs AS e "
                + $"WHERE e.\"SweepId\" = t.\"SweepId\" AND e.\"TrialKey\" = t.\"Key\" AND e.\"Epoch\" = t.\"BestEpoch\")");
        }

        return null;
    }

    /// <summary>
    /// Whether every condition of <paramref name="node"/> reads a field that all cells of a seed group share (sweep,
    /// seed group, backbone, dataset, lr, a configuration key), so that it matches whole seed groups: not the seed, key,
    /// status, progress, timing, error or a metric.
    /// </summary>
    public static bool IsSeedGroupConstant(FilterNode node) => node switch
    {
        AndNode a => IsSeedGroupConstant(a.Left) && IsSeedGroupConstant(a.Right),
        OrNode o => IsSeedGroupConstant(o.Left) && IsSeedGroupConstant(o.Right),
        NotNode x => IsSeedGroupConstant(x.Operand),
        CompareNode c => SeedGroupConstant.Contains(c.Field.Name),
        InNode i => SeedGroupConstant.Contains(i.Field.Name),
        LikeNode l => SeedGroupConstant.Contains(l.Field.Name),
        _ => false,
    };

    private static string? Metric(string name) => MetricNames.FirstOrDefault(m => string.Equals(m, name, StringComparison.OrdinalIgnoreCase));

    private static Dictionary<string, FilterField> Build()
    {
        var fields = new List<FilterField>
        {
            Column("sweep", FilterFieldKind.Text, "SweepId"),
            Column("key", FilterFieldKind.Text, "Key"),
            Column("seed_group", FilterFieldKind.Text, "SeedGroup"),
            Column("backbone", FilterFieldKind.Text, "Backbone"),
            Column("dataset", FilterFieldKind.Text, "Dataset"),
            Column("seed", FilterFieldKind.Number, "Seed"),
            Column("lr", FilterFieldKind.Number, "LearningRate"),
            Column("status", FilterFieldKind.Status, "Status"),
            Column("device", FilterFieldKind.Text, "Device"),
            Column("attempt", FilterFieldKind.Number, "Attempt"),
            Column("epoch", FilterFieldKind.Number, "Epoch"),
            Column("best_epoch", FilterFieldKind.Number, "BestEpoch"),
            Column("train_loss", FilterFieldKind.Number, "TrainLoss"),
            Column("best_valid", FilterFieldKind.Number, "BestValidation"),
            Column("seconds", FilterFieldKind.Number, "Seconds"),
            Column("error", FilterFieldKind.Text, "Error"),
            Column("queued", FilterFieldKind.Time, "QueuedAt"),
            Column("started", FilterFieldKind.Time, "StartedAt"),
            Column("finished", FilterFieldKind.Time, "FinishedAt"),
            new("dataset_name", FilterFieldKind.Text, (d, _) => d.DatasetName("t.\"Dataset\"")),
            ConfigText("family", "BackboneFamily"),
            ConfigText("task", "Task"),
            // The identity writes the precision only when it is not the default, so absent means fp32 (as the leaderboard reads it).
            new("precision", FilterFieldKind.Text, (d, arg) => $"coalesce({d.JsonText(Config, arg(d.JsonKey("Precision")))}, {arg("fp32")})"),
        };
        foreach (var key in (string[])["BatchSize", "EvalBatchSize", "WarmUpEpochs", "EarlyStop", "PseudoTokens", "AudioHidden", "VideoHidden",
                     "TextLength", "MaxNewTokens", "MaxEpochs", "AdamEps", "WeightDecay"])
        {
            fields.Add(new(Snake(key), FilterFieldKind.Number, (d, arg) => d.JsonNumber(Config, arg(d.JsonKey(key)))));
            SeedGroupConstant.Add(Snake(key));
        }

        return fields.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
    }

    private static FilterField Column(string name, FilterFieldKind kind, string column) => new(name, kind, (_, _) => $"t.\"{column}\"");

    private static FilterField ConfigText(string name, string key) => new(name, FilterFieldKind.Text, (d, arg) => d.JsonText(Config, arg(d.JsonKey(key))));

    private static string Snake(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
