using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;
using MseLab.Store.Queries;

namespace MseLab.Api.Apis;

/// <summary>
/// The query parameters every results endpoint shares (<c>sweep</c>, <c>where</c>, <c>groupBy</c>) and the problems they
/// answer with: 400 for a filter that does not parse (with its position) or an unknown field, 404 for an unknown sweep.
/// </summary>
internal static class ResultsRequest
{
    /// <summary>The <c>where</c> parameter's description in the OpenAPI document.</summary>
    public const string WhereDescription =
        "A filter in the language of `mselab results --where`: comparisons (= != < <= > >=), and, or, not, parentheses, in (...), like, "
        + "over sweep, backbone, family, dataset, seed, lr, every hyperparameter, status, started/finished and test.METRIC / best_valid.METRIC. "
        + "Example: family = 'qwen-1.8b' and test.mae < 0.6.";

    /// <summary>The <c>groupBy</c> parameter's description in the OpenAPI document.</summary>
    public const string GroupByDescription =
        "Comma-separated group-by fields (sweep, family, backbone, precision, dataset, dataset_name, seed, lr, seed_group, or any hyperparameter in snake_case). Default: seed groups.";

    /// <summary>
    /// Parses the filter before anything reaches the store. Empty or absent: no filter. A filter that does not parse is a
    /// 400 whose extensions carry <c>position</c> (1-based) and <c>problem</c>.
    /// </summary>
    public static bool TryParseFilter(string? where, out FilterNode? filter, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        filter = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(where))
        {
            return true;
        }

        try
        {
            filter = FilterParser.Parse(where);
            return true;
        }
        catch (FilterSyntaxException e)
        {
            problem = TypedResults.Problem(
                title: "The filter does not parse; nothing was queried.",
                detail: $"?where= at position {e.Position}: {e.Problem} (in \"{where}\").",
                statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["position"] = e.Position, ["problem"] = e.Problem, ["where"] = where });
            return false;
        }
    }

    /// <summary>The group-by fields of a comma-separated list; null (seed groups) when empty.</summary>
    public static IReadOnlyList<string>? GroupBy(string? groupBy)
    {
        var fields = groupBy?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return fields is { Length: > 0 } ? fields : null;
    }

    /// <summary>An empty parameter means "not given" (a form's empty box sends <c>sweep=</c>).</summary>
    public static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>400 for an unknown field, metric or option value; the message lists the valid ones.</summary>
    public static ProblemHttpResult BadRequest(ArgumentException error) =>
        TypedResults.Problem(title: "The request names something unknown; nothing was returned.", detail: error.Message, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>404 for a sweep that is not in the store.</summary>
    public static ProblemHttpResult UnknownSweep(string sweep) =>
        TypedResults.Problem(title: "No such sweep.", detail: $"No sweep named '{sweep}' in the results store; GET /api/sweeps lists them.", statusCode: StatusCodes.Status404NotFound);
}
