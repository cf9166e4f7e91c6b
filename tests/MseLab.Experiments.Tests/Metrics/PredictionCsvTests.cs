using MseLab.Experiments.Metrics;

namespace MseLab.Experiments.Tests.Metrics;

public sealed class PredictionCsvTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-csv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Read_ColumnsInAnyOrderWithQuotedExtras_ReadsTruthAndPrediction()
    {
        var path = WriteFile("id,Prediction,text,TRUTH\n a$1 , -0.5 ,\"hello, \"\"world\"\"\",1\n\nb$2,3,,-2.25\n");

        var set = PredictionCsv.Read(path);

        Assert.Equal([1f, -2.25f], set.Truth);
        Assert.Equal([-0.5f, 3f], set.Prediction);
    }

    [Fact]
    public void Read_PythonAndDotNetSpellings_ParseNonFiniteValues()
    {
        var path = WriteFile("truth,prediction\n1,inf\n2,-inf\n3,nan\n4,Infinity\n5,1e3\n");

        var set = PredictionCsv.Read(path);

        Assert.Equal([float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.PositiveInfinity, 1000f], set.Prediction);
    }

    [Fact]
    public void WriteThenRead_AnyFloat_RoundTripsBitExactly()
    {
        float[] values = [0.1f, -0.1f, -0f, 1f / 3f, float.NaN, float.NegativeInfinity, 1e-30f, MathF.BitIncrement(0.7f)];
        var path = Path.Combine(_dir, "roundtrip.csv");

        PredictionCsv.Write(path, values, [.. values.Reverse()]);
        var set = PredictionCsv.Read(path);

        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), set.Truth.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(values.Reverse().Select(BitConverter.SingleToInt32Bits), set.Prediction.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Read_MissingColumn_NamesFileLineAndColumn()
    {
        var path = WriteFile("truth,pred\n1,2\n");

        var error = Assert.Throws<PredictionCsvException>(() => PredictionCsv.Read(path));

        Assert.Equal(1, error.Line);
        Assert.Equal("prediction", error.Column);
        Assert.StartsWith($"{path}:1: column 'prediction'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnparsableValue_NamesFileLineAndColumn()
    {
        var path = WriteFile("truth,prediction\n1,2\n0.5,neutral\n");

        var error = Assert.Throws<PredictionCsvException>(() => PredictionCsv.Read(path));

        Assert.Equal(3, error.Line);
        Assert.Equal("prediction", error.Column);
        Assert.Contains("'neutral' is not a number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DecimalComma_IsRejected()
    {
        // "1,5" splits into two fields: the row no longer matches the header.
        var path = WriteFile("truth,prediction\n1,5,2\n");

        var error = Assert.Throws<PredictionCsvException>(() => PredictionCsv.Read(path));

        Assert.Equal(2, error.Line);
        Assert.Contains("3 fields but the header has 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty file")]
    [InlineData("truth,prediction\n\n", "no data rows")]
    [InlineData("truth,prediction\n1,\"2\n", "unclosed quote")]
    public void Read_MalformedFile_Throws(string content, string expected)
    {
        var path = WriteFile(content);

        var error = Assert.Throws<PredictionCsvException>(() => PredictionCsv.Read(path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingFile_SaysNotFound()
    {
        var path = Path.Combine(_dir, "absent.csv");

        var error = Assert.Throws<PredictionCsvException>(() => PredictionCsv.Read(path));

        Assert.Equal($"{path}: file not found; check the path.", error.Message);
    }

    private string WriteFile(string content)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, content);
        return path;
    }
}
