using MseLab.Models.Tokenization;

namespace MseLab.Models.Tests.Tokenization;

public sealed class TokenSequencesTests
{
    [Fact]
    public void LeftPadOrTruncate_Shorter_PadsOnTheLeft()
    {
        Assert.Equal([0, 0, 0, 5, 6], TokenSequences.LeftPadOrTruncate([5, 6], 5, padId: 0));
    }

    [Fact]
    public void LeftPadOrTruncate_Longer_KeepsTheFirstTokens()
    {
        Assert.Equal([1, 2, 3], TokenSequences.LeftPadOrTruncate([1, 2, 3, 4, 5], 3, padId: 0));
    }

    [Fact]
    public void LeftPadOrTruncate_ExactLength_ReturnsAnEqualCopy()
    {
        int[] ids = [7, 8, 9];
        var result = TokenSequences.LeftPadOrTruncate(ids, 3, padId: 0);
        Assert.Equal(ids, result);
        Assert.NotSame(ids, result);
    }

    [Fact]
    public void LeftPadOrTruncate_EmptyInput_IsAllPadding()
    {
        Assert.Equal([151643, 151643], TokenSequences.LeftPadOrTruncate([], 2, padId: 151643));
    }

    [Fact]
    public void LeftPadOrTruncate_NegativeLength_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenSequences.LeftPadOrTruncate([1], -1, 0));
    }

    [Fact]
    public void LeftPadToLongest_MixedLengths_PadsEachRowOnTheLeft()
    {
        var rows = TokenSequences.LeftPadToLongest([[4], [5, 6, 7], [8, 9]], padId: 0);
        Assert.Equal([[0, 0, 4], [5, 6, 7], [0, 8, 9]], rows);
    }
}
