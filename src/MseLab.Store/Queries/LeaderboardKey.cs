using System.Data.Common;
using System.Globalization;

namespace MseLab.Store.Queries;

/// <summary>
/// One group-by field of the leaderboard in SQL: the raw value the database groups by (over the trial row <c>t</c>) and
/// how that value becomes the label <see cref="Leaderboard.Build"/> writes. Formatting stays in C# (lr as "G6", a
/// dataset's name, a JSON value unquoted), so labels are the same by construction; raw groups whose labels agree are
/// merged after the query.
/// </summary>
internal sealed record LeaderboardKey(string Field, Func<FilterDialect, Func<object, string>, string> Sql, Func<object?, string> Label, LeaderboardKey.RawKind Raw = LeaderboardKey.RawKind.Text)
{
    /// <summary>
    /// The raw value over a <c>seed_group_stats</c> row when it keeps it in a column of its own (the family, part of every
    /// default leaderboard: a JSON read per row otherwise); null: <see cref="Sql"/>, whose columns the table shares.
    /// </summary>
    public string? SeedGroupColumn { get; init; }

    /// <summary>
    /// How the database returns the key's value: text that repeats (a sweep, a backbone, JSON, a dataset), text that does
    /// not (a seed group), a real, an integer.
    /// </summary>
    public enum RawKind
    {
        Text,
        Unique,
        Real,
        Integer,
    }

    /// <summary>
    /// Reads the key's raw value from a row and labels it, remembering each distinct value's label for one query's rows:
    /// a family, a learning rate or a hyperparameter has a handful of values over thousands of rows (a JSON parse or a
    /// "G6" each, otherwise). Reads typed, so no value is boxed.
    /// </summary>
    public Func<DbDataReader, int, string> Reader()
    {
        var absent = new Lazy<string>(() => Label(null));
        switch (Raw)
        {
            case RawKind.Real:
                var reals = new Dictionary<double, string>();
                return (r, i) => r.IsDBNull(i) ? absent.Value : Cached(reals, r.GetDouble(i));
            case RawKind.Integer:
                var integers = new Dictionary<long, string>();
                return (r, i) => r.IsDBNull(i) ? absent.Value : Cached(integers, r.GetInt64(i));
            case RawKind.Unique:
                return (r, i) => r.IsDBNull(i) ? absent.Value : Label(r.GetString(i));
            default:
                // One label per distinct value (a sweep, a backbone, a family): the row's own string is garbage at once, so
                // thousands of groups hold a few hundred strings, not several each (a collection during the query has less to keep).
                var texts = new Dictionary<string, string>(StringComparer.Ordinal);
                return (r, i) => r.IsDBNull(i) ? absent.Value : Cached(texts, r.GetString(i));
        }

        string Cached<T>(Dictionary<T, string> labels, T value)
            where T : notnull
        {
            if (!labels.TryGetValue(value, out var label))
            {
                labels[value] = label = Label(value);
            }

            return label;
        }
    }

    private const string Config = "t.\"ResolvedConfig\"";

    /// <summary>The key of a group-by field; <paramref name="configKey"/> is the configuration key of a hyperparameter field.</summary>
    public static LeaderboardKey For(string field, string? configKey) => field.ToLowerInvariant() switch
    {
        "sweep" => Column(field, "SweepId"),
        "family" => Json(field, "BackboneFamily", "") with { SeedGroupColumn = "t.\"Family\"" },
        "backbone" => Column(field, "Backbone"),
        // The identity writes the precision only when it is not the default (earlier keys stay), so absent means fp32.
        "precision" => Json(field, "Precision", "fp32"),
        "dataset" => Column(field, "Dataset"),
        "dataset_name" => new(field, (_, _) => "t.\"Dataset\"", v => DatasetNames.Of(Text(v))),
        "seed" => new(field, (_, _) => "t.\"Seed\"", v => Convert.ToInt32(v, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture), RawKind.Integer),
        "lr" => new(field, (_, _) => "t.\"LearningRate\"", v => Convert.ToDouble(v, CultureInfo.InvariantCulture).ToString("G6", CultureInfo.InvariantCulture), RawKind.Real),
        "seed_group" => Column(field, "SeedGroup") with { Raw = RawKind.Unique },
        _ => Json(field, configKey ?? throw new ArgumentException($"Cannot group by '{field}' without a configuration key.", nameof(configKey)), ""),
    };

    private static LeaderboardKey Column(string field, string column) => new(field, (_, _) => $"t.\"{column}\"", Text);

    // The value's JSON text (a string still quoted): both databases keep a number's text as written, and the label
    // unquotes in C# as Build does. One JSON parse per row. An absent key reads as '' (no JSON text is empty), not NULL,
    // which would never equal itself in the statement's joins.
    private static LeaderboardKey Json(string field, string key, string absent) => new(
        field,
        (d, arg) => d == FilterDialect.Postgres
            ? $"coalesce((({Config})::json -> {arg(key)})::text, '')"
            : $"coalesce({Config} -> {arg("$." + key)}, '')",
        v => v is string { Length: > 0 } json ? Leaderboard.JsonLabel(json)! : absent);

    private static string Text(object? value) => value as string ?? "";
}
