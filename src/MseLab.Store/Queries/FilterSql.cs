using System.Globalization;

namespace MseLab.Store.Queries;

/// <summary>
/// A parsed filter as a SQL condition over the trial row <c>t</c>: every value from the expression is a parameter
/// (<c>{0}</c>, <c>{1}</c>, ... in EF Core's <c>FromSqlRaw</c> form), so no input changes the statement's shape.
/// </summary>
public sealed record FilterSql(string Condition, IReadOnlyList<object> Arguments)
{
    /// <summary>Translates <paramref name="node"/> for a provider.</summary>
    public static FilterSql From(FilterNode node, FilterDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(dialect);
        var arguments = new List<object>();
        string Arg(object value)
        {
            arguments.Add(value);
            return "{" + (arguments.Count - 1).ToString(CultureInfo.InvariantCulture) + "}";
        }

        string Sql(FilterNode n) => n switch
        {
            AndNode a => $"({Sql(a.Left)} AND {Sql(a.Right)})",
            OrNode o => $"({Sql(o.Left)} OR {Sql(o.Right)})",
            NotNode x => $"(NOT {Sql(x.Operand)})",
            CompareNode c => $"({c.Field.Sql(dialect, Arg)} {(c.Operator == "!=" ? "<>" : c.Operator)} {Arg(c.Value)})",
            InNode i => $"({i.Field.Sql(dialect, Arg)} {(i.Negated ? "NOT IN" : "IN")} ({string.Join(", ", i.Values.Select(Arg))}))",
            // LIKE is case-insensitive in SQLite and case-sensitive in Postgres; lower() on both sides makes them agree.
            LikeNode l => $"(lower({l.Field.Sql(dialect, Arg)}) {(l.Negated ? "NOT LIKE" : "LIKE")} lower({Arg(l.Pattern)}))",
            _ => throw new ArgumentOutOfRangeException(nameof(node), n, "Not a filter node."),
        };

        return new FilterSql(Sql(node), arguments);
    }
}
