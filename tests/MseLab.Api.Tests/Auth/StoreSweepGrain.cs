using MseLab.Grains;
using MseLab.Store;

namespace MseLab.Api.Tests.Auth;

/// <summary>
/// The sweep grain, faked over the real store: a cancel cancels the sweep in the store (what the real grain does before it
/// tells the devices); a refresh is counted. Progress and reports are the grain tests' business, not used here.
/// </summary>
internal sealed class StoreSweepGrain(string sweep, SweepSubmissions submissions, Action refreshed) : ISweepGrain
{
    public async Task<int> CancelAsync() => (await submissions.CancelAsync(sweep)).Count;

    public Task RefreshAsync()
    {
        refreshed();
        return Task.CompletedTask;
    }

    public Task<SweepProgress> GetProgressAsync() => throw new NotSupportedException("not used by the auth tests");

    public Task ReportAsync(IReadOnlyList<CellEvent> events) => throw new NotSupportedException("not used by the auth tests");
}
