using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MseLab.Grains.Placement;

namespace MseLab.Grains;

/// <summary>Lives on its worker's silo and stops that process gracefully when asked.</summary>
[DeviceHostPlacement]
public sealed partial class WorkerControlGrain(IHostApplicationLifetime lifetime, ILogger<WorkerControlGrain> logger) : Grain, IWorkerControlGrain
{
    public Task DrainAsync()
    {
        LogDrain(logger, DeviceHostPlacement.HostOf(this.GetPrimaryKeyString()));
        lifetime.StopApplication();
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Drain requested for {Host}: running trials checkpoint and hand back, then this worker exits")]
    private static partial void LogDrain(ILogger logger, string host);
}
