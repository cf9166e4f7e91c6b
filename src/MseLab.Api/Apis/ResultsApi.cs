using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;
using MseLab.Api.Auth;
using MseLab.Reporting.Curves;
using MseLab.Reporting.Exports;
using MseLab.Store;
using MseLab.Store.Paper;
using MseLab.Store.Queries;
using MseLab.Store.Records;
using static MseLab.Api.Apis.ResultsRequest;

namespace MseLab.Api.Apis;

/// <summary>
/// <c>/api/results</c>: the stored results of one sweep or of all, filtered with the <c>--where</c> language: the leaderboard,
/// every epoch, learning curves (mean ± std over seeds), the paper's published numbers beside ours, and downloads in the
/// formats of <c>mselab results --out</c>. Read-only: every filter is parameterised SQL, and one that does not parse never
/// reaches the store.
/// </summary>
public static class ResultsApi
{
    /// <summary>The name of a downloaded file without its extension: <c>mselab-results.csv</c>, <c>mselab-epochs.parquet</c>.</summary>
    public const string DownloadName = "mselab";

    public static IEndpointRouteBuilder MapResultsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/results").WithTags("Results").RequireAuthorization(AuthPolicies.Read);
        api.MapGet("/", LeaderboardAsync).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetResults").WithSummary("The leaderboard of the cells matching a filter: mean, sample std and n of each test metric per group.");
        api.MapGet("/epochs", EpochsAsync).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetResultEpochs").WithSummary("Every stored epoch of the matching cells: configuration, train loss, learning rate, validation metrics.");
        api.MapGet("/curves", CurvesAsync).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetResultCurves").WithSummary("Learning curves per group: an epoch metric's mean and sample std over the group's seeds, epoch by epoch.");
        api.MapGet("/compare", CompareAsync).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetPaperComparison").WithSummary("Our results beside the authors' published numbers, per backbone family and dataset.");
        api.MapGet("/download", DownloadAsync)
            .Produces<Stream>(StatusCodes.Status200OK, contentType: "text/csv", additionalContentTypes: ["application/json", ResultFiles.ContentType(ExportFormat.Parquet)])
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("DownloadResults").WithSummary("The leaderboard or the epochs as a CSV, JSON or Parquet file: the bytes `mselab results --format X --out F` writes.");
        return app;
    }

    /// <summary>The leaderboard, ordered by <c>best</c> and <c>sort</c> and cut to <c>top</c> groups as <c>mselab results</c> does.</summary>
    public static async Task<Results<Ok<IReadOnlyList<LeaderboardGroup>>, ProblemHttpResult>> LeaderboardAsync(
        ResultQueries queries,
        [Description("Only this sweep (default: every sweep).")] string? sweep = null,
        [Description(WhereDescription)] string? where = null,
        [Description(GroupByDescription)] string? groupBy = null,
        [Description("A group-by field, n, or test.METRIC (by its mean); add :desc to reverse.")] string? sort = null,
        [Description("A test metric: best mean first, in the metric's own direction (mae lowest, accuracies highest).")] string? best = null,
        [Description("Only the first N groups.")] int? top = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        return await AnswerAsync(queries, sweep, where, async (scope, filter) =>
            LeaderboardOrder.Apply(await queries.LeaderboardAsync(scope, filter, GroupBy(groupBy), cancellationToken), Given(sort), Given(best), top), cancellationToken);
    }

    /// <summary>One row per cell x stored epoch, in sweep, backbone, dataset, seed group, seed and epoch order.</summary>
    public static async Task<Results<Ok<IReadOnlyList<EpochRow>>, ProblemHttpResult>> EpochsAsync(
        ResultQueries queries,
        [Description("Only this sweep (default: every sweep).")] string? sweep = null,
        [Description(WhereDescription)] string? where = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        return await AnswerAsync(queries, sweep, where, (scope, filter) => queries.EpochRowsAsync(scope, filter, cancellationToken), cancellationToken);
    }

    /// <summary>The curves of <c>plot curves</c>, as data: groups with no value of the metric are left out.</summary>
    public static async Task<Results<Ok<CurveSet>, ProblemHttpResult>> CurvesAsync(
        ResultQueries queries,
        [Description("Only this sweep (default: every sweep).")] string? sweep = null,
        [Description(WhereDescription)] string? where = null,
        [Description(GroupByDescription)] string? groupBy = null,
        [Description("train_loss, lr, or a validation metric (mae or valid.mae, weighted_f1, ...). Default: the task's selection metric on validation, else train_loss.")]
        string? metric = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        return await AnswerAsync(queries, sweep, where, async (scope, filter) =>
        {
            var trials = await queries.TrialsAsync(scope, withTestMetrics: false, where: filter, cancellationToken: cancellationToken);
            var epochs = await queries.EpochRowsAsync(scope, filter, cancellationToken);
            return LearningCurves.Build(trials, epochs, GroupBy(groupBy), Given(metric));
        }, cancellationToken);
    }

    /// <summary><c>mselab results --compare paper</c>: groups by family and dataset (plus <c>groupBy</c>); synthetic data left out.</summary>
    public static async Task<Results<Ok<PaperComparisonReport>, ProblemHttpResult>> CompareAsync(
        ResultQueries queries,
        [Description("Only this sweep (default: every sweep).")] string? sweep = null,
        [Description(WhereDescription)] string? where = null,
        [Description("Fields to group by beside family and dataset_name (always included).")] string? groupBy = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        return await AnswerAsync(queries, sweep, where,
            async (scope, filter) => PaperComparison.Build(await queries.TrialsAsync(scope, where: filter, cancellationToken: cancellationToken), GroupBy(groupBy)),
            cancellationToken);
    }

    /// <summary>
    /// The leaderboard (ordered and cut as <see cref="LeaderboardAsync"/>), or with <c>epochs=true</c> every stored epoch, as
    /// an attachment: <c>mselab-results.FORMAT</c> or <c>mselab-epochs.FORMAT</c>.
    /// </summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadAsync(
        ResultQueries queries,
        [Description("csv (default), json or parquet.")] string? format = null,
        [Description("Only this sweep (default: every sweep).")] string? sweep = null,
        [Description(WhereDescription)] string? where = null,
        [Description(GroupByDescription + " Not with epochs=true.")] string? groupBy = null,
        [Description("As for GET /api/results.")] string? sort = null,
        [Description("As for GET /api/results.")] string? best = null,
        [Description("As for GET /api/results.")] int? top = null,
        [Description("true: every stored epoch (one row per cell x epoch) instead of the leaderboard.")] bool epochs = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        if (!TryParseFormat(format, out var fileFormat, out var formatProblem))
        {
            return formatProblem;
        }

        if (epochs && (Given(groupBy) is not null || Given(sort) is not null || Given(best) is not null || top is not null))
        {
            return BadRequest(new ArgumentException("epochs=true lists every stored epoch of every cell; it takes no groupBy, sort, best or top (drop them, or epochs)."));
        }

        var (scope, filter, problem) = await ScopeAsync(queries, sweep, where, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using var file = new MemoryStream();   // Parquet.Net writes its footer by seeking; a response body cannot seek
        try
        {
            if (epochs)
            {
                await ResultFiles.WriteEpochsAsync(await queries.EpochRowsAsync(scope, filter, cancellationToken), fileFormat, file, cancellationToken);
            }
            else
            {
                var groups = await queries.LeaderboardAsync(scope, filter, GroupBy(groupBy), cancellationToken);
                await ResultFiles.WriteLeaderboardAsync(LeaderboardOrder.Apply(groups, Given(sort), Given(best), top), fileFormat, file, cancellationToken);
            }
        }
        catch (ArgumentException e)
        {
            return BadRequest(e);
        }

        var name = $"{DownloadName}-{(epochs ? "epochs" : "results")}.{ResultFiles.Extension(fileFormat)}";
        return TypedResults.File(file.ToArray(), ResultFiles.ContentType(fileFormat), name);
    }

    /// <summary>
    /// The answer of a JSON endpoint: 400 for a filter that does not parse (the store is not reached), 404 for an unknown
    /// sweep, else <paramref name="read"/> over the scope; an <see cref="ArgumentException"/> from it (a bad group-by field,
    /// sort column or metric) is a 400 naming the valid ones.
    /// </summary>
    private static async Task<Results<Ok<T>, ProblemHttpResult>> AnswerAsync<T>(
        ResultQueries queries, string? sweep, string? where, Func<string?, FilterNode?, Task<T>> read, CancellationToken cancellationToken)
    {
        var (scope, filter, problem) = await ScopeAsync(queries, sweep, where, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            return TypedResults.Ok(await read(scope, filter));
        }
        catch (ArgumentException e)
        {
            return BadRequest(e);
        }
    }

    /// <summary>The sweep (null: every sweep) and parsed filter of a request, or the problem that answers it instead.</summary>
    private static async Task<(string? Sweep, FilterNode? Filter, ProblemHttpResult? Problem)> ScopeAsync(
        ResultQueries queries, string? sweep, string? where, CancellationToken cancellationToken)
    {
        if (!TryParseFilter(where, out var filter, out var problem))
        {
            return (null, null, problem);
        }

        var scope = Given(sweep);
        return scope is not null && !await queries.SweepExistsAsync(scope, cancellationToken) ? (null, null, UnknownSweep(scope)) : (scope, filter, null);
    }

    private static bool TryParseFormat(string? format, out ExportFormat parsed, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        problem = null;
        parsed = ExportFormat.Csv;
        if (Given(format) is not { } text)
        {
            return true;
        }

        // Names only: Enum.TryParse alone would also take "1" or "7".
        if (Enum.GetNames<ExportFormat>().Contains(text, StringComparer.OrdinalIgnoreCase) && Enum.TryParse(text, ignoreCase: true, out parsed))
        {
            return true;
        }

        problem = BadRequest(new ArgumentException($"format={format}: unknown; a download is csv, json or parquet."));
        return false;
    }
}
