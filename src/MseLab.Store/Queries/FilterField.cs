namespace MseLab.Store.Queries;

/// <summary>
/// A field the filter language knows: its name, its kind and how to read it in SQL over the trial row <c>t</c>. The SQL
/// builder gets the dialect and a function that adds a parameter and returns its placeholder.
/// </summary>
public sealed record FilterField(string Name, FilterFieldKind Kind, Func<FilterDialect, Func<object, string>, string> Sql)
{
    /// <summary>For messages.</summary>
    public override string ToString() => Name;
}
