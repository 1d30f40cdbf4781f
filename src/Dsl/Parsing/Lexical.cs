using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MetricLoss.Dsl.Text;
using Sprache;

namespace MetricLoss.Dsl.Parsing;

/// <summary>A parsed value with the span it came from.</summary>
internal readonly record struct Spanned<T>(T Value, SourceSpan Span);

/// <summary>
/// Tokens of the metric language. Every token parser skips the trivia (whitespace and // comments)
/// that follows it, so a token's span never includes trivia.
/// </summary>
internal static class Lexical
{
    /// <summary>A `//` comment runs to the end of its line, whichever line break ends it (CR-only files included).</summary>
    private static readonly Parser<string> Comment =
        from open in Parse.String("//")
        from rest in Parse.Char(c => !LineBreaks.IsLineBreak(c), "comment text").Many()
        select "";

    public static readonly Parser<IEnumerable<string>> Trivia =
        Parse.WhiteSpace.Return("").Or(Comment).Many();

    /// <summary>Captures the span of <paramref name="parser"/> and skips trailing trivia.</summary>
    public static Parser<Spanned<T>> Lexeme<T>(this Parser<T> parser) => input =>
    {
        var result = parser(input);
        if (!result.WasSuccessful)
        {
            return Result.Failure<Spanned<T>>(result.Remainder, result.Message, result.Expectations);
        }
        var span = SourceSpan.FromOffsets(input.Source, input.Position, result.Remainder.Position);
        var trivia = Trivia(result.Remainder);
        return Result.Success(new Spanned<T>(result.Value, span), trivia.Remainder);
    };

    private static readonly Parser<string> RawIdentifier =
        Parse.Identifier(
            Parse.Char(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_', "letter"),
            Parse.Char(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_', "letter or digit"));

    public static readonly Parser<Spanned<string>> Identifier = RawIdentifier.Lexeme().Named("identifier");

    public static Parser<Spanned<string>> Keyword(string word) =>
        RawIdentifier.Where(id => id == word).Lexeme().Named("`" + word + "`");

    public static Parser<Spanned<string>> Symbol(string text) =>
        Parse.String(text).Text().Lexeme().Named("`" + text + "`");

    /// <summary><c>!</c> but not the start of <c>!=</c>.</summary>
    public static readonly Parser<Spanned<string>> Bang =
        (from bang in Parse.Char('!')
         from notEquals in Parse.Not(Parse.Char('='))
         select "!").Lexeme().Named("`!`");

    /// <summary>ASCII digits only: Parse.Digit would accept any Unicode digit, which double parsing then rejects.</summary>
    private static readonly Parser<string> Digits = Parse.Char(c => c is >= '0' and <= '9', "digit").AtLeastOnce().Text();

    private static readonly Parser<string> RawNumber =
        from whole in Digits
        from fraction in (from dot in Parse.Char('.') from digits in Digits select "." + digits).XOptional()
        from exponent in (
            from e in Parse.Chars('e', 'E')
            from sign in Parse.Chars('+', '-').Optional()
            from digits in Digits
            select "e" + (sign.IsDefined ? sign.Get().ToString() : "") + digits).XOptional()
        select whole + fraction.GetOrElse("") + exponent.GetOrElse("");

    /// <summary>
    /// A literal too large for a double reads as infinity (on .NET Framework hosts double.Parse would throw);
    /// <see cref="TextLimits"/> then reports it as an invalid number.
    /// </summary>
    public static readonly Parser<Spanned<double>> Number =
        RawNumber.Select(ToDouble).Lexeme().Named("number");

    public static double ToDouble(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.PositiveInfinity;
}
