using System.Globalization;
using MseLab.Experiments.Trials;

namespace MseLab.Store.Queries;

/// <summary>
/// Recursive descent over the filter grammar, lowest precedence first:
/// <code>
/// or      := and ("or" and)*
/// and     := unary ("and" unary)*
/// unary   := "not" unary | primary
/// primary := "(" or ")" | FIELD OP value | FIELD ["not"] "in" "(" value ("," value)* ")" | FIELD ["not"] "like" value
/// </code>
/// Values are checked against the field's kind here, so the SQL built from the tree cannot fail on a type.
/// </summary>
public sealed class FilterParser
{
    private static readonly string[] Operators = ["=", "!=", "<", "<=", ">", ">="];
    private static readonly string[] Keywords = ["and", "or", "not", "in", "like"];

    private readonly string _expression;
    private readonly IReadOnlyList<FilterToken> _tokens;
    private int _next;

    private FilterParser(string expression)
    {
        _expression = expression;
        _tokens = FilterLexer.Tokenize(expression);
    }

    /// <summary>Parses <paramref name="expression"/>.</summary>
    /// <exception cref="FilterSyntaxException">It is not a valid filter; the message names the 1-based position.</exception>
    public static FilterNode Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var parser = new FilterParser(expression);
        if (parser.Peek.Kind == FilterTokenKind.End)
        {
            throw new FilterSyntaxException(expression, 1, "the filter is empty");
        }

        var node = parser.ParseOr();
        var rest = parser.Peek;
        if (rest.Kind != FilterTokenKind.End)
        {
            throw parser.Error(rest, rest.Kind == FilterTokenKind.CloseParen ? "')' without a matching '('" : $"expected 'and', 'or' or the end, found '{rest.Text}'");
        }

        return node;
    }

    private FilterToken Peek => _tokens[_next];

    private FilterToken Take() => _tokens[_next++];

    private bool TakeKeyword(string keyword)
    {
        if (IsKeyword(Peek, keyword))
        {
            _next++;
            return true;
        }

        return false;
    }

    private static bool IsKeyword(FilterToken token, string keyword) =>
        token.Kind == FilterTokenKind.Word && string.Equals(token.Text, keyword, StringComparison.OrdinalIgnoreCase);

    private FilterSyntaxException Error(FilterToken at, string problem) => new(_expression, at.Position, problem);

    private FilterNode ParseOr()
    {
        var left = ParseAnd();
        while (TakeKeyword("or"))
        {
            left = new OrNode(left, ParseAnd());
        }

        return left;
    }

    private FilterNode ParseAnd()
    {
        var left = ParseUnary();
        while (TakeKeyword("and"))
        {
            left = new AndNode(left, ParseUnary());
        }

        return left;
    }

    private FilterNode ParseUnary() => TakeKeyword("not") ? new NotNode(ParseUnary()) : ParsePrimary();

    private FilterNode ParsePrimary()
    {
        var token = Take();
        if (token.Kind == FilterTokenKind.OpenParen)
        {
            var inner = ParseOr();
            var close = Take();
            if (close.Kind != FilterTokenKind.CloseParen)
            {
                throw Error(close, close.Kind == FilterTokenKind.End
                    ? $"missing ')' for the '(' at position {token.Position}"
                    : $"expected ')' for the '(' at position {token.Position}, found '{close.Text}'");
            }

            return inner;
        }

        if (token.Kind != FilterTokenKind.Word || Keywords.Contains(token.Text, StringComparer.OrdinalIgnoreCase))
        {
            throw Error(token, token.Kind == FilterTokenKind.End ? "expected a field name, found the end" : $"expected a field name, found '{token.Text}'");
        }

        var field = FilterFields.Find(token.Text) ?? throw Error(token,
            $"unknown field '{token.Text}'. Fields: {string.Join(", ", FilterFields.Names)}, {FilterFields.TestPrefix}NAME, {FilterFields.BestValidPrefix}NAME "
            + $"(NAME one of {string.Join(", ", FilterFields.MetricNames)})");
        var negated = TakeKeyword("not");
        if (TakeKeyword("in"))
        {
            return new InNode(field, ParseList(field), negated);
        }

        if (TakeKeyword("like"))
        {
            if (field.Kind is not (FilterFieldKind.Text or FilterFieldKind.Status))
            {
                throw Error(_tokens[_next - 1], $"'like' needs a text field; {field.Name} is a {field.Kind.ToString().ToLowerInvariant()}");
            }

            var pattern = Take();
            if (pattern.Kind is not (FilterTokenKind.Text or FilterTokenKind.Word) || Keywords.Contains(pattern.Text, StringComparer.OrdinalIgnoreCase))
            {
                throw Error(pattern, "expected a quoted pattern after 'like' (e.g. 'qwen%')");
            }

            return new LikeNode(field, pattern.Text, negated);
        }

        var op = Take();
        if (negated || op.Kind != FilterTokenKind.Operator || !Operators.Contains(op.Text))
        {
            throw Error(op, negated ? "expected 'in' or 'like' after 'not'" : $"expected an operator (= != < <= > >= in like) after {field.Name}, found '{(op.Kind == FilterTokenKind.End ? "the end" : op.Text)}'");
        }

        if (field.Kind == FilterFieldKind.Status && op.Text is not ("=" or "!="))
        {
            throw Error(op, "status compares only with = and != (or in)");
        }

        return new CompareNode(field, op.Text, ParseValue(field));
    }

    private List<object> ParseList(FilterField field)
    {
        var open = Take();
        if (open.Kind != FilterTokenKind.OpenParen)
        {
            throw Error(open, "expected '(' after 'in'");
        }

        var values = new List<object> { ParseValue(field) };
        while (true)
        {
            var token = Take();
            if (token.Kind == FilterTokenKind.CloseParen)
            {
                return values;
            }

            if (token.Kind != FilterTokenKind.Comma)
            {
                throw Error(token, token.Kind == FilterTokenKind.End ? $"missing ')' for the '(' at position {open.Position}" : $"expected ',' or ')', found '{token.Text}'");
            }

            values.Add(ParseValue(field));
        }
    }

    private object ParseValue(FilterField field)
    {
        var token = Take();
        if (token.Kind == FilterTokenKind.End)
        {
            throw Error(token, $"expected a value for {field.Name}, found the end");
        }

        switch (field.Kind)
        {
            case FilterFieldKind.Number when token.Kind == FilterTokenKind.Number:
                return token.Number;
            case FilterFieldKind.Number:
                throw Error(token, $"{field.Name} is a number; '{token.Text}' is not");
            case FilterFieldKind.Text when token.Kind is FilterTokenKind.Text or FilterTokenKind.Number
                || (token.Kind == FilterTokenKind.Word && !Keywords.Contains(token.Text, StringComparer.OrdinalIgnoreCase)):
                return token.Text;
            case FilterFieldKind.Status when token.Kind is FilterTokenKind.Text or FilterTokenKind.Word
                && Enum.TryParse<TrialStatus>(token.Text, ignoreCase: true, out var status) && Enum.IsDefined(status):
                return status.ToString();
            case FilterFieldKind.Status:
                throw Error(token, $"'{token.Text}' is not a status; one of {string.Join(", ", Enum.GetNames<TrialStatus>().Select(n => n.ToLowerInvariant()))}");
            case FilterFieldKind.Time when token.Kind == FilterTokenKind.Text
                && DateTime.TryParse(token.Text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time):
                return DateTime.SpecifyKind(time, DateTimeKind.Utc);
            case FilterFieldKind.Time:
                throw Error(token, $"{field.Name} is a time; give a quoted ISO date or date-time in UTC such as '2026-12-01' or '2026-12-01T18:30'");
            default:
                throw Error(token, $"expected a value for {field.Name}, found '{token.Text}'");
        }
    }
}
