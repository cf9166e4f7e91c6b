using MseLab.Store.Records;

namespace MseLab.Reporting.Exports;

/// <summary>
/// <c>mselab results --epochs</c> as a table: one row per cell x epoch, the cell's configuration, the epoch's training loss and
/// learning rate, then <c>valid_NAME</c> for every validation metric any row has (null where that cell's task has none).
/// </summary>
public static class EpochTable
{
    /// <summary>Prefix of the validation-metric columns (<c>valid_mae</c>, <c>valid_has0_acc2</c>, ...).</summary>
    public const string ValidPrefix = "valid_";

    /// <summary>How many characters of a cell key the console table shows (keys are 64-hex hashes; files get them whole).</summary>
    public const int ShortKeyLength = 12;

    public static ExportTable Build(IReadOnlyList<EpochRow> rows)
    {
        var metrics = rows.SelectMany(r => r.Validation.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var columns = new List<ExportColumn>
        {
            new TextColumn("sweep", rows.Select(r => r.SweepId).ToList()),
            new TextColumn("key", rows.Select(r => r.Key).ToList(), ShortKey),
            new TextColumn("backbone", rows.Select(r => r.Backbone).ToList(), ValueDisplay.Shorten),
            new TextColumn("dataset", rows.Select(r => r.Dataset).ToList(), ValueDisplay.Shorten),
            new IntColumn("seed", rows.Select(r => r.Seed).ToList()),
            new NumberColumn("lr", rows.Select(r => (double?)r.LearningRate).ToList()),
            new IntColumn("epoch", rows.Select(r => r.Epoch).ToList()),
            new NumberColumn("train_loss", rows.Select(r => (double?)r.TrainLoss).ToList()),
            new NumberColumn("learning_rate", rows.Select(r => (double?)r.EpochLearningRate).ToList()),
        };
        columns.AddRange(metrics.Select(m => new NumberColumn(ValidPrefix + m, rows.Select(r => r.Validation.TryGetValue(m, out var v) ? v : (double?)null).ToList())));
        return new ExportTable(columns, rows.Count);
    }

    private static string ShortKey(string key) => key.Length > ShortKeyLength ? key[..ShortKeyLength] : key;
}
