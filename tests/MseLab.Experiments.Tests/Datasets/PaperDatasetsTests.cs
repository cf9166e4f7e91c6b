using MseLab.Experiments.Datasets;
using MseLab.Experiments.Metrics;

namespace MseLab.Experiments.Tests.Datasets;

public sealed class PaperDatasetsTests
{
    [Theory]
    [InlineData(PaperDataset.Mosei, 50, false, PromptLanguage.English)]
    [InlineData(PaperDataset.SimsV2, 50, false, PromptLanguage.Chinese)]
    [InlineData(PaperDataset.Meld, 65, true, PromptLanguage.English)]
    [InlineData(PaperDataset.Cherma, 78, true, PromptLanguage.Chinese)]
    [InlineData(PaperDataset.Mosi, 50, false, PromptLanguage.English)]
    [InlineData(PaperDataset.Sims, 39, false, PromptLanguage.Chinese)]
    public void Info_EachDataset_HasTheConfigValues(PaperDataset dataset, int textLength, bool classification, PromptLanguage language)
    {
        var info = PaperDatasets.Info(dataset);
        Assert.Equal(dataset, info.Dataset);
        Assert.Equal(textLength, info.TextLength);
        Assert.Equal(classification, info.IsClassification);
        Assert.Equal(language, info.Language);
        Assert.Equal(classification ? 7 : 0, info.ClassNames.Count);
    }

    [Theory]
    [InlineData(PaperDataset.Meld, "neutral", 0)]
    [InlineData(PaperDataset.Meld, "surprise", 1)]
    [InlineData(PaperDataset.Meld, "fear", 2)]
    [InlineData(PaperDataset.Meld, "sadness", 3)]
    [InlineData(PaperDataset.Meld, "joy", 4)]
    [InlineData(PaperDataset.Meld, "disgust", 5)]
    [InlineData(PaperDataset.Meld, "anger", 6)]
    [InlineData(PaperDataset.Meld, "Anger", -1)]
    [InlineData(PaperDataset.Meld, "happy", -1)]
    [InlineData(PaperDataset.Cherma, "愤怒", 0)]
    [InlineData(PaperDataset.Cherma, "厌恶", 1)]
    [InlineData(PaperDataset.Cherma, "恐惧", 2)]
    [InlineData(PaperDataset.Cherma, "高兴", 3)]
    [InlineData(PaperDataset.Cherma, "平静", 4)]
    [InlineData(PaperDataset.Cherma, "悲伤", 5)]
    [InlineData(PaperDataset.Cherma, "惊奇", 6)]
    [InlineData(PaperDataset.Cherma, "neutral", -1)]
    [InlineData(PaperDataset.Mosei, "neutral", -1)]
    public void ClassIndex_LabelString_MapsLikeTheConfigOrMinusOne(PaperDataset dataset, string label, int expected)
    {
        Assert.Equal(expected, PaperDatasets.Info(dataset).ClassIndex(label));
    }

    [Theory]
    [InlineData(PaperDataset.Mosei, PaperDataset.Mosei, true)]
    [InlineData(PaperDataset.Cherma, PaperDataset.Cherma, true)]
    [InlineData(PaperDataset.Mosi, PaperDataset.Mosei, false)]
    [InlineData(PaperDataset.Sims, PaperDataset.SimsV2, false)]
    public void ConfigFrom_OnlyMosiAndSimsBorrow(PaperDataset dataset, PaperDataset configFrom, bool inPaper)
    {
        var info = PaperDatasets.Info(dataset);
        Assert.Equal((configFrom, inPaper), (info.ConfigFrom, info.InPaper));
    }

    [Theory]
    [InlineData(PaperDataset.Mosi, MetricsTask.Mosi, 3f)]
    [InlineData(PaperDataset.Sims, MetricsTask.Sims, 1f)]
    public void Info_MosiAndSims_ScoreWithTheirOwnProtocol(PaperDataset dataset, MetricsTask metrics, float bound)
    {
        var info = PaperDatasets.Info(dataset);
        Assert.Equal((metrics, bound, TaskKind.Regression), (info.Metrics, info.LabelBound, info.Kind));
    }

    [Fact]
    public void InPaper_IsTheFourPaperDatasets()
    {
        Assert.Equal([PaperDataset.Mosei, PaperDataset.SimsV2, PaperDataset.Meld, PaperDataset.Cherma], PaperDatasets.InPaper.Select(i => i.Dataset));
    }

    [Fact]
    public void All_ListsEveryDatasetOnceInEnumOrder()
    {
        Assert.Equal(Enum.GetValues<PaperDataset>(), PaperDatasets.All.Select(i => i.Dataset));
    }
}
