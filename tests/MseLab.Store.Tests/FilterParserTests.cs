using MseLab.Store.Queries;

namespace MseLab.Store.Tests;

/// <summary>The filter language's grammar: operators, precedence, values checked by field kind, and errors with positions.</summary>
public sealed class FilterParserTests
{
    [Theory]
    [InlineData("seed = 1", "=")]
    [InlineData("seed != 1", "!=")]
    [InlineData("seed < 1", "<")]
    [InlineData("seed <= 1", "<=")]
    [InlineData("seed > 1", ">")]
    [InlineData("seed >= 1", ">=")]
    public void Parse_EachComparison_GivesThatOperatorAndANumber(string expression, string op)
    {
        var node = Assert.IsType<CompareNode>(FilterParser.Parse(expression));

        Assert.Equal(("seed", op, (object)1.0), (node.Field.Name, node.Operator, node.Value));
    }

    [Fact]
    public void Parse_AndBindsTighterThanOr()
    {
        var node = Assert.IsType<OrNode>(FilterParser.Parse("seed = 1 or seed = 2 and lr < 0.1"));

        Assert.IsType<CompareNode>(node.Left);
        var right = Assert.IsType<AndNode>(node.Right);
        Assert.Equal("lr", Assert.IsType<CompareNode>(right.Right).Field.Name);
    }

    [Fact]
    public void Parse_ParenthesesOverridePrecedence_NotBindsTightest()
    {
        var node = Assert.IsType<AndNode>(FilterParser.Parse("(seed = 1 or seed = 2) and not lr < 0.1"));

        Assert.IsType<OrNode>(node.Left);
        Assert.IsType<CompareNode>(Assert.IsType<NotNode>(node.Right).Operand);
    }

    [Fact]
    public void Parse_InLikeAndNegations_KeepValuesAndKeywordsCaseInsensitive()
    {
        var node = Assert.IsType<AndNode>(FilterParser.Parse("backbone NOT IN ('a', \"b\", c-0.5b) AND family Not Like 'qwen%'"));

        var @in = Assert.IsType<InNode>(node.Left);
        Assert.True(@in.Negated);
        Assert.Equal(["a", "b", "c-0.5b"], @in.Values);
        var like = Assert.IsType<LikeNode>(node.Right);
        Assert.Equal(("family", "qwen%", true), (like.Field.Name, like.Pattern, like.Negated));
    }

    [Fact]
    public void Parse_TypedValues_StatusTimeMetricsAndHyperparameters()
    {
        var node = FilterParser.Parse("status = SUCCEEDED and started >= '2026-11-01T10:30' and test.MAE < 0.7 and best_valid.corr > 0.5 and batch_size in (8, 16) and dataset = 'it''s'");

        var leaves = Leaves(node).ToList();
        Assert.Equal("Succeeded", Assert.IsType<CompareNode>(leaves[0]).Value);
        Assert.Equal(new DateTime(2026, 11, 1, 10, 30, 0, DateTimeKind.Utc), Assert.IsType<CompareNode>(leaves[1]).Value);
        Assert.Equal(DateTimeKind.Utc, ((DateTime)((CompareNode)leaves[1]).Value).Kind);
        Assert.Equal("test.mae", Assert.IsType<CompareNode>(leaves[2]).Field.Name);
        Assert.Equal("best_valid.corr", Assert.IsType<CompareNode>(leaves[3]).Field.Name);
        Assert.Equal([8.0, 16.0], Assert.IsType<InNode>(leaves[4]).Values);
        Assert.Equal("it's", Assert.IsType<CompareNode>(leaves[5]).Value);
    }

    [Theory]
    [InlineData("colour = 'red'", 1, "unknown field 'colour'")]
    [InlineData("seed = 1 and test.loudness > 2", 14, "unknown field 'test.loudness'")]
    [InlineData("(seed = 1 or seed = 2", 22, "missing ')' for the '(' at position 1")]
    [InlineData("seed = 1)", 9, "')' without a matching '('")]
    [InlineData("seed = 1 # 2", 10, "unexpected character '#'")]
    [InlineData("seed == 1", 6, "'==' is not an operator")]
    [InlineData("seed = 'one'", 8, "seed is a number")]
    [InlineData("status = done", 10, "'done' is not a status")]
    [InlineData("status > failed", 8, "status compares only with = and !=")]
    [InlineData("started > 'yesterday'", 11, "started is a time")]
    [InlineData("lr like '1%'", 4, "'like' needs a text field")]
    [InlineData("seed = 1 and", 13, "expected a field name, found the end")]
    [InlineData("", 1, "the filter is empty")]
    [InlineData("sweep = 'open", 9, "unterminated text")]
    [InlineData("seed in 1, 2", 9, "expected '(' after 'in'")]
    [InlineData("seed 1", 6, "expected an operator")]
    public void Parse_Invalid_ThrowsWithThe1BasedPosition(string expression, int position, string problem)
    {
        var error = Assert.Throws<FilterSyntaxException>(() => FilterParser.Parse(expression));

        Assert.Equal(position, error.Position);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
        Assert.Contains($"at position {position}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sweep = 'x'; DROP TABLE trials; --", 12, "unexpected character ';'")]
    [InlineData("sweep = x'; DROP TABLE trials; --", 10, "unterminated text")]
    [InlineData("seed = 1 or 1=1", 13, "expected a field name, found '1'")]
    [InlineData("seed = 1 or 1=1 --", 17, "unexpected character '-'")]
    [InlineData("seed = 1 --", 10, "unexpected character '-'")]
    [InlineData("sweep = 'a' or sweep = \"\" /* */", 27, "unexpected character '/'")]
    [InlineData("seed = 1 union select sweeps", 10, "expected 'and', 'or' or the end")]
    public void Parse_InjectionAttempts_AreParseErrors(string expression, int position, string problem)
    {
        var error = Assert.Throws<FilterSyntaxException>(() => FilterParser.Parse(expression));

        Assert.Equal(position, error.Position);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Sql_QuotedInjection_IsOneParameterAndTheStatementKeepsItsShape()
    {
        const string Evil = "x'); DROP TABLE trials; --";

        var sql = FilterSql.From(FilterParser.Parse($"sweep = '{Evil.Replace("'", "''", StringComparison.Ordinal)}' or seed in (1, 2)"), FilterDialect.Sqlite);

        Assert.Equal("((t.\"SweepId\" = {0}) OR (t.\"Seed\" IN ({1}, {2})))", sql.Condition);
        Assert.Equal([Evil, 1.0, 2.0], sql.Arguments);
    }

    private static IEnumerable<FilterNode> Leaves(FilterNode node) => node switch
    {
        AndNode a => Leaves(a.Left).Concat(Leaves(a.Right)),
        OrNode o => Leaves(o.Left).Concat(Leaves(o.Right)),
        NotNode n => Leaves(n.Operand),
        _ => [node],
    };
}
