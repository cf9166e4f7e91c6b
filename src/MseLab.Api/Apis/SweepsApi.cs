using System.ComponentModel;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MseLab.Api.Auth;
using MseLab.Cluster.Client;
using MseLab.Experiments.Sweeps;
using MseLab.Grains;
using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Api.Apis;

/// <summary>
/// <c>/api/sweeps</c>: submit a sweep file (the YAML of <c>mselab sweep run</c>, as the request body), list sweeps,
/// follow one (live cells from its sweep grain), read its leaderboard, cancel it.
/// </summary>
public static class SweepsApi
{
    private const long MaxSweepFileBytes = 1 << 20;

    public static IEndpointRouteBuilder MapSweepsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sweeps").WithTags("Sweeps");
        api.MapPost("/", SubmitAsync).Accepts<string>("application/yaml", "text/yaml", "text/plain")
            .RequireAuthorization(AuthPolicies.Submit).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .WithName("SubmitSweep").WithSummary("Submit a sweep file (YAML body); queues its cells. Needs a token of role submit; the caller owns the sweep.");
        api.MapGet("/", ListAsync).RequireAuthorization(AuthPolicies.Read)
            .WithName("ListSweeps").WithSummary("Every sweep with its cell counts by status, newest first.");
        api.MapGet("/{sweep}", ProgressAsync).RequireAuthorization(AuthPolicies.Read)
            .WithName("GetSweepProgress").WithSummary("Every cell of a sweep with its live status, epoch, loss and validation metric.");
        api.MapGet("/{sweep}/results", ResultsAsync).RequireAuthorization(AuthPolicies.Read)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetSweepResults").WithSummary("The sweep's leaderboard: mean and sample std of each test metric per seed group.");
        api.MapPost("/{sweep}/cancel", CancelAsync)
            .RequireAuthorization(AuthPolicies.Submit).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .WithName("CancelSweep").WithSummary("Cancel a sweep: queued cells never start, running ones stop at their next step. Only its owner or an admin.");
        return app;
    }

    /// <summary>
    /// Validates and queues a sweep. 400 lists every error in the file (line and column); 422: no device fits (memory_gb,
    /// or the memory plan's estimate without it), a stored dataset is named without its content hash, or a backbone folder
    /// or data_root lies outside the roots the workers registered (line, path and allowed roots named). The API reads no data (its machine need not hold any, and hashing gigabytes
    /// does not belong in a request): stored datasets come pinned, <c>mosei@SHA256</c>, and <c>data_root</c> is not used.
    /// </summary>
    public static async Task<Results<Created<SubmittedSweep>, ProblemHttpResult>> SubmitAsync(
        HttpRequest request, SweepSubmitter submitter, ResultQueries queries, AuditLog audit, bool rerunFailed = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(audit);
        if (request.ContentLength > MaxSweepFileBytes)
        {
            return TypedResults.Problem($"A sweep file is at most {MaxSweepFileBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        using var reader = new StreamReader(request.Body);
        var yaml = await reader.ReadToEndAsync(cancellationToken);
        SweepDefinition sweep;
        try
        {
            sweep = SweepParser.Parse(yaml, "request body");
        }
        catch (SweepValidationException e)
        {
            return TypedResults.Problem(
                title: "The sweep file has errors; nothing was submitted.",
                detail: string.Join('\n', e.Errors),
                statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["errors"] = e.Errors });
        }

        // A resubmission requeues cells: it is the owner's (or an admin's) to make, as a cancel is.
        var user = request.HttpContext.User;
        if (await queries.SweepOwnerAsync(sweep.Name, cancellationToken) is { } owner && !Caller.MayActFor(user, owner))
        {
            return NotOwner(sweep.Name, owner, user, "resubmits");
        }

        try
        {
            var outcome = await submitter.SubmitAsync(sweep, $"POST /api/sweeps ({sweep.Name})", yaml, rerunFailed, Caller.Name(user), cancellationToken);
            await audit.RecordAsync(
                Caller.Name(user), AuditActions.SweepSubmit, sweep.Name, Caller.Origin(request.HttpContext),
                $"{outcome.Added} new, {outcome.Requeued} requeued, {outcome.AlreadyDone} done, {outcome.AlreadyQueued} waiting", cancellationToken);
            return TypedResults.Created(
                $"/api/sweeps/{Uri.EscapeDataString(sweep.Name)}",
                new SubmittedSweep(sweep.Name, outcome.Added, outcome.Requeued, outcome.AlreadyDone, outcome.AlreadyQueued));
        }
        catch (SweepRejectedException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity);
        }
    }

    public static async Task<Ok<IReadOnlyList<SweepSummary>>> ListAsync(ResultQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.SweepsAsync(cancellationToken: cancellationToken));

    /// <summary>Every cell with its status, attempt, device, epoch, loss and validation metric, as the live table shows them.</summary>
    public static async Task<Results<Ok<SweepProgress>, NotFound>> ProgressAsync(string sweep, ResultQueries queries, IGrainFactory grains, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grains);
        if (!await queries.SweepExistsAsync(sweep, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(await grains.GetGrain<ISweepGrain>(sweep).GetProgressAsync());
    }

    /// <summary>
    /// The leaderboard: one group per backbone, dataset and hyperparameters (or per <c>groupBy</c>), metrics as mean and std
    /// over seeds, of the cells matching <c>where</c>. <c>GET /api/results?sweep=</c> is the same with ordering and a top-N.
    /// </summary>
    public static Task<Results<Ok<IReadOnlyList<LeaderboardGroup>>, ProblemHttpResult>> ResultsAsync(
        string sweep,
        ResultQueries queries,
        [Description(ResultsRequest.WhereDescription)] string? where = null,
        [Description(ResultsRequest.GroupByDescription)] string? groupBy = null,
        CancellationToken cancellationToken = default) =>
        ResultsApi.LeaderboardAsync(queries, sweep, where, groupBy, cancellationToken: cancellationToken);

    /// <summary>Cancels the sweep: queued cells never start, running ones stop at their next step. Only its owner or an admin.</summary>
    public static async Task<Results<Ok<CancelledSweep>, NotFound, ProblemHttpResult>> CancelAsync(
        string sweep, HttpContext http, ResultQueries queries, IGrainFactory grains, AuditLog audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(audit);
        if (await queries.SweepOwnerAsync(sweep, cancellationToken) is not { } owner)
        {
            return TypedResults.NotFound();
        }

        if (!Caller.MayActFor(http.User, owner))
        {
            return NotOwner(sweep, owner, http.User, "cancels");
        }

        var running = await grains.GetGrain<ISweepGrain>(sweep).CancelAsync();
        await audit.RecordAsync(Caller.Name(http.User), AuditActions.SweepCancel, sweep, Caller.Origin(http), $"{running} running", cancellationToken);
        return TypedResults.Ok(new CancelledSweep(sweep, running));
    }

    private static ProblemHttpResult NotOwner(string sweep, string owner, ClaimsPrincipal user, string verb) =>
        TypedResults.Problem(
            title: "The sweep belongs to another user.",
            detail: $"Sweep {sweep} is owned by {owner}; only its owner or an admin {verb} it, and {Caller.Name(user)} is neither. Submit under another name, or ask {owner} or an admin.",
            statusCode: StatusCodes.Status403Forbidden);
}
