using System.Globalization;

namespace MseLab.Store.Queries;

/// <summary>
/// Splits a filter expression into tokens. Anything outside the language (<c>;</c>, <c>--</c>, an unterminated quote, a
/// stray character) is a <see cref="FilterSyntaxException"/> at its position: there is no way to smuggle SQL in.
/// </summary>
internal static class FilterLexer
{
    public static IReadOnlyList<FilterToken> Tokenize(string expression)
    {
        var tokens = new List<FilterToken>();
        var i = 0;
        while (i < expression.Length)
        {
            var c = expression[i];
            var position = i + 1;
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')' or ',')
            {
                tokens.Add(new(c == '(' ? FilterTokenKind.OpenParen : c == ')' ? FilterTokenKind.CloseParen : FilterTokenKind.Comma, c.ToString(), position));
                i++;
            }
            else if (c is '=' or '!' or '<' or '>')
            {
                var two = i + 1 < expression.Length && expression[i + 1] == '=' ? 2 : 1;
                var op = expression.Substring(i, two);
                if (op == "!")
                {
                    throw new FilterSyntaxException(expression, position, "'!' must be followed by '=' (use != or not)");
                }

                if (op == "==")
                {
                    throw new FilterSyntaxException(expression, position, "'==' is not an operator (use =)");
                }

                tokens.Add(new(FilterTokenKind.Operator, op, position));
                i += two;
            }
            else if (c is '\'' or '"')
            {
                i = ReadQuoted(expression, i, tokens);
            }
            else if (char.IsAsciiDigit(c) || (c is '-' or '.' && i + 1 < expression.Length && (char.IsAsciiDigit(expression[i + 1]) || expression[i + 1] == '.')))
            {
                i = ReadNumber(expression, i, tokens);
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < expression.Length && IsWordChar(expression[i]))
                {
                    i++;
                }

                tokens.Add(new(FilterTokenKind.Word, expression[start..i], position));
            }
            else
            {
                throw new FilterSyntaxException(expression, position, $"unexpected character '{c}'");
            }
        }

        tokens.Add(new(FilterTokenKind.End, "", expression.Length + 1));
        return tokens;
    }

    // Values such as qwen2-0.5b, synthetic:mosei and mosei@3f2a read unquoted; field names use letters, digits, _ and '.'.
    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or ':' or '@' or '/';

    private static int ReadQuoted(string expression, int start, List<FilterToken> tokens)
    {
        var quote = expression[start];
        var text = new System.Text.StringBuilder();
        var i = start + 1;
        while (true)
        {
            if (i >= expression.Length)
            {
                throw new FilterSyntaxException(expression, start + 1, $"unterminated text starting with {quote}");
            }

            if (expression[i] == quote)
            {
                if (i + 1 < expression.Length && expression[i + 1] == quote)
                {
                    text.Append(quote);
                    i += 2;
                    continue;
                }

                tokens.Add(new(FilterTokenKind.Text, text.ToString(), start + 1));
                return i + 1;
            }

            text.Append(expression[i]);
            i++;
        }
    }

    private static int ReadNumber(string expression, int start, List<FilterToken> tokens)
    {
        var i = start + (expression[start] == '-' ? 1 : 0);
        while (i < expression.Length && (char.IsAsciiDigit(expression[i]) || expression[i] == '.'
            || ((expression[i] is 'e' or 'E') && i + 1 < expression.Length)
            || ((expression[i] is '+' or '-') && expression[i - 1] is 'e' or 'E')))
        {
            i++;
        }

        var text = expression[start..i];
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new FilterSyntaxException(expression, start + 1, $"'{text}' is not a number");
        }

        if (i < expression.Length && IsWordChar(expression[i]))
        {
            throw new FilterSyntaxException(expression, i + 1, $"unexpected '{expression[i]}' after the number {text}");
        }

        tokens.Add(new(FilterTokenKind.Number, text, start + 1, value));
        return i;
    }
}
