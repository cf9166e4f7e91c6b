using Microsoft.Extensions.Diagnostics.HealthChecks;
using MseLab.Data;

namespace MseLab.Orchestrator;

/// <summary><c>/health</c> is unhealthy while the results store cannot be reached (the worker rides that out; the check says it).</summary>
public sealed class StoreHealthCheck(ResultsDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        return await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy($"results store at {database.Location}")
            : HealthCheckResult.Unhealthy($"results store at {database.Location} unreachable");
    }
}
