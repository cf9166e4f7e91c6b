namespace MseLab.Cli.Commands.Bench;

/// <summary>Polling the store for what a benchmark waits on (a rerun, a cell moving host).</summary>
internal static class BenchWait
{
    /// <summary>Polls <paramref name="probe"/> until it gives a value; null when <paramref name="timeout"/> passed first.</summary>
    public static async Task<T?> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, CancellationToken cancellationToken, TimeSpan? poll = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        return null;
    }
}
