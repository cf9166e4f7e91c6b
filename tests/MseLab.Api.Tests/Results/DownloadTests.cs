using System.Globalization;
using System.Text;
using System.Text.Json;
using MseLab.Reporting.Exports;
using MseLab.Store.Queries;
using MseLab.TestSupport;
using static MseLab.Api.Tests.Results.ApiJson;

namespace MseLab.Api.Tests.Results;

/// <summary>
/// <c>GET /api/results/download</c>: the bytes <c>mselab results --format X --out F</c> writes for the same store and
/// options, as an attachment; Parquet read back by an independent reader (hyparquet) with the right types and values.
/// </summary>
public sealed class DownloadTests(ResultsStore store) : IClassFixture<ResultsStore>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("family = 'qwen2-0.5b'", "family,lr", "mae")]
    public async Task Csv_Leaderboard_TheCliFileBytesAsAnAttachment(string? where, string? groupBy, string? best)
    {
        using var client = store.Factory.CreateClient();

        using var response = await client.GetAsync(new Uri($"/api/results/download?format=csv&where={Q(where ?? "")}&groupBy={groupBy}&best={best}", UriKind.Relative), Ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);

        Assert.True(response.IsSuccessStatusCode, Encoding.UTF8.GetString(bytes));
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("mselab-results.csv", response.Content.Headers.ContentDisposition?.FileName);
        var groups = LeaderboardOrder.Apply(
            await store.Queries.LeaderboardAsync(null, where is null ? null : FilterParser.Parse(where), groupBy?.Split(','), Ct), null, best, null);
        Assert.Equal(await CliFileAsync(s => ResultFiles.WriteLeaderboardAsync(groups, ExportFormat.Csv, s, Ct)), bytes);
        Assert.Equal(LeaderboardText.Csv(groups), Encoding.UTF8.GetString(bytes));   // and what `--format csv` prints

        // Read as CSV: one row per group, each mean the store's.
        var lines = Encoding.UTF8.GetString(bytes).TrimEnd('\n').Split('\n');
        var header = lines[0].Split(',');
        Assert.Equal(groups.Count, lines.Length - 1);
        var column = Array.IndexOf(header, "mae_mean");
        Assert.True(column > 0, lines[0]);
        Assert.Equal(groups.Select(g => g.Metrics["mae"].Mean), lines.Skip(1).Select(l => double.Parse(l.Split(',')[column], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Json_Epochs_TheCliFileBytes()
    {
        using var client = store.Factory.CreateClient();

        using var response = await client.GetAsync(new Uri($"/api/results/download?format=json&epochs=true&sweep={ResultsStore.Beta}", UriKind.Relative), Ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);

        Assert.True(response.IsSuccessStatusCode, Encoding.UTF8.GetString(bytes));
        Assert.Equal("mselab-epochs.json", response.Content.Headers.ContentDisposition?.FileName);
        var rows = await store.Queries.EpochRowsAsync(ResultsStore.Beta, null, Ct);
        Assert.Equal(await CliFileAsync(s => ResultFiles.WriteEpochsAsync(rows, ExportFormat.Json, s, Ct)), bytes);
        using var json = JsonDocument.Parse(bytes);
        Assert.Equal(6, json.RootElement.GetArrayLength());   // two cells x three epochs
    }

    [Fact]
    public async Task Parquet_EpochsWhere_IndependentReaderSeesTypedColumnsAndStoredValues()
    {
        using var client = store.Factory.CreateClient();
        const string where = "sweep = 'alpha' and seed = 2";

        using var response = await client.GetAsync(new Uri($"/api/results/download?format=parquet&epochs=true&where={Q(where)}", UriKind.Relative), Ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);

        Assert.True(response.IsSuccessStatusCode, Encoding.UTF8.GetString(bytes));
        Assert.Equal("mselab-epochs.parquet", response.Content.Headers.ContentDisposition?.FileName);
        var rows = await store.Queries.EpochRowsAsync(null, FilterParser.Parse(where), Ct);
        Assert.Equal(await CliFileAsync(s => ResultFiles.WriteEpochsAsync(rows, ExportFormat.Parquet, s, Ct)), bytes);
        using var file = ParquetReadBack.Read(bytes);
        Assert.Equal(6, file.RootElement.GetProperty("rows_in_metadata").GetInt32());   // two seed-2 cells done (l3s2 failed), three epochs each
        AssertColumn(file, "key", "BYTE_ARRAY", "REQUIRED", "STRING");
        AssertColumn(file, "seed", "INT32", "REQUIRED", "INTEGER");
        AssertColumn(file, "epoch", "INT32", "REQUIRED", "INTEGER");
        AssertColumn(file, "valid_has0_acc2", "DOUBLE", "OPTIONAL", null);
        var read = file.RootElement.GetProperty("rows").EnumerateArray().ToList();
        foreach (var row in rows)
        {
            var match = Assert.Single(read, r => r.GetProperty("key").GetString() == row.Key && r.GetProperty("epoch").GetInt32() == row.Epoch);
            Assert.Equal(2, match.GetProperty("seed").GetInt32());
            Assert.Equal(row.TrainLoss, match.GetProperty("train_loss").GetDouble());
            Assert.Equal(row.Validation["mae"], match.GetProperty("valid_mae").GetDouble());
        }
    }

    [Fact]
    public async Task Parquet_Leaderboard_TypedCountsMeansAndStds()
    {
        using var client = store.Factory.CreateClient();

        using var response = await client.GetAsync(new Uri($"/api/results/download?format=parquet&sweep={ResultsStore.Alpha}&groupBy=family", UriKind.Relative), Ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);

        Assert.True(response.IsSuccessStatusCode, Encoding.UTF8.GetString(bytes));
        Assert.Equal("application/vnd.apache.parquet", response.Content.Headers.ContentType?.MediaType);
        using var file = ParquetReadBack.Read(bytes);
        AssertColumn(file, "family", "BYTE_ARRAY", "REQUIRED", "STRING");
        AssertColumn(file, "n", "INT32", "REQUIRED", "INTEGER");
        AssertColumn(file, "mae_std", "DOUBLE", "OPTIONAL", null);
        var groups = await store.Queries.LeaderboardAsync(ResultsStore.Alpha, null, ["family"], Ct);
        var read = file.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(groups.Count, read.Count);
        foreach (var group in groups)
        {
            var row = Assert.Single(read, r => r.GetProperty("family").GetString() == group.Fields["family"]);
            Assert.Equal(group.N, row.GetProperty("n").GetInt32());
            Assert.Equal(group.Planned, row.GetProperty("planned").GetInt32());
            Assert.Equal(group.Metrics["mae"].Mean, row.GetProperty("mae_mean").GetDouble());
            Assert.Equal(group.Metrics["has0_acc2"].Mean, row.GetProperty("has0_acc2_mean").GetDouble());
        }

        // llama: one done cell of two, so no std; qwen: four done cells.
        Assert.Equal(JsonValueKind.Null, read.Single(r => r.GetProperty("family").GetString() == "llama2-7b").GetProperty("mae_std").ValueKind);
        Assert.Equal(4, read.Single(r => r.GetProperty("family").GetString() == "qwen2-0.5b").GetProperty("n").GetInt32());
    }

    /// <summary>What the CLI's <c>--out F</c> leaves in F: a file created and written by the shared writer.</summary>
    private static async Task<byte[]> CliFileAsync(Func<Stream, Task> write)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mselab-api-{Guid.NewGuid():N}.out");
        try
        {
            await using (var file = File.Create(path))
            {
                await write(file);
            }

            return await File.ReadAllBytesAsync(path, Ct);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void AssertColumn(JsonDocument file, string name, string type, string repetition, string? logical)
    {
        var column = TestTools.ParquetColumn(file, name);
        Assert.Equal(type, column.GetProperty("type").GetString());
        Assert.Equal(repetition, column.GetProperty("repetition").GetString());
        Assert.Equal(logical, column.GetProperty("logical").ValueKind == JsonValueKind.Null ? null : column.GetProperty("logical").GetString());
    }
}
