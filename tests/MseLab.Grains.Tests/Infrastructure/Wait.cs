using System.Diagnostics;

namespace MseLab.Grains.Tests.Infrastructure;

/// <summary>Bounded waits with messages that say what did not happen.</summary>
internal static class Wait
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>Per test: a grain call that is never answered (a dropped message) fails its test instead of hanging the run.</summary>
    public const int TestMilliseconds = 30_000;

    /// <summary>Awaits <paramref name="task"/>, failing with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task<T> ForAsync<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            return await task.WaitAsync(timeout ?? Timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Timed out after {(timeout ?? Timeout).TotalSeconds} s waiting for: {what}", e);
        }
    }

    public static Task ForAsync(Task task, string what, TimeSpan? timeout = null) =>
        ForAsync(Completed(task), what, timeout);

    /// <summary>Reads until <paramref name="done"/> holds; fails with the last reading described.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, Func<T, string> describe, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        ArgumentNullException.ThrowIfNull(describe);
        var limit = timeout ?? Timeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"Not reached within {limit.TotalSeconds} s: {what}. Last seen: {describe(value)}");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static async Task<bool> Completed(Task task)
    {
        await task;
        return true;
    }
}
