using MseLab.Api.Auth;
using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Api.Tests.ResultsPage;

/// <summary>The results page's server with reads closed (<c>Auth:ReadsOpen=false</c>) and a read token of user viewer.</summary>
public sealed class ClosedReadsPageServer : ResultsPageServer
{
    public string Token { get; private set; } = "";

    protected override IReadOnlyDictionary<string, string?> Settings =>
        new Dictionary<string, string?> { [$"{AuthOptions.SectionName}:{nameof(AuthOptions.ReadsOpen)}"] = "false" };

    protected override async Task SeededAsync(ResultsDatabase database)
    {
        var ct = TestContext.Current.CancellationToken;
        await new Users(database, new StoreClock(database)).AddAsync("viewer", UserRole.Read, ct);
        Token = (await new ApiTokens(database, new StoreClock(database)).CreateAsync("viewer", TimeSpan.FromHours(1), ct)).Token;
    }
}
