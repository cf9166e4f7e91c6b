using System.Globalization;

namespace MseLab.Store.Queries;

/// <summary>
/// One group-by field of the leaderboard in SQL: the raw value the database groups by (over the trial row <c>t</c>) and
/// how that value becomes the label <see cref="Leaderboard.Build"/> writes. Formatting stays in C# (lr as "G6", a
/// dataset's name, a JSON value unquoted), so labels are the same by construction; raw groups whose labels agree are
/// merged after the query.
/// </summary>
internal sealed record LeaderboardKey(string Field, Func<FilterDialect, Func<object, string>, string> Sql, Func<object?, string> Label)
{
    private const string Config = "t.\"ResolvedConfig\"";

    /// <summary>The key of a group-by field; <paramref name="configKey"/> is the configuration key of a hyperparameter field.</summary>
    public static LeaderboardKey For(string field, string? configKey) => field.ToLowerInvariant() switch
    {
        "sweep" => Column(field, "SweepId"),
        "family" => Json(field, "BackboneFamily", ""),
        "backbone" => Column(field, "Backbone"),
        // The identity writes the precision only when it is not the default (earlier keys stay), so absent means fp32.
        "precision" => Json(field, "Precision", "fp32"),
        "dataset" => Column(field, "Dataset"),
        "dataset_name" => new(field, (_, _) => "t.\"Dataset\"", v => DatasetNames.Of(Text(v))),
        "seed" => new(field, (_, _) => "t.\"Seed\"", v => Convert.ToInt32(v, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)),
        "lr" => new(field, (_, _) => "t.\"LearningRate\"", v => Convert.ToDouble(v, CultureInfo.InvariantCulture).ToString("G6", CultureInfo.InvariantCulture)),
        "seed_group" => Column(field, "SeedGroup"),
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
