using System.Globalization;

namespace AgenteVendedor.Text;

/// <summary>Makes a text fit a column or a platform limit without splitting a character a reader sees as one.</summary>
public static class TextFit
{
    public const string Ellipsis = "…";

    /// <summary>
    /// The text itself when it has at most <paramref name="max"/> UTF-16 units; otherwise the longest
    /// prefix of whole text elements (an emoji with its modifiers, a letter with its accents) that
    /// leaves room for an ellipsis, followed by it.
    /// </summary>
    public static string Cut(string text, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, Ellipsis.Length);
        if (text.Length <= max)
        {
            return text;
        }

        var room = max - Ellipsis.Length;
        var end = 0;
        while (end < text.Length)
        {
            var next = StringInfo.GetNextTextElementLength(text, end);
            if (end + next > room)
            {
                break;
            }

            end += next;
        }

        return string.Concat(text.AsSpan(0, end).TrimEnd(), Ellipsis);
    }

    /// <summary>Null for null or blank text; otherwise the trimmed text, cut to fit.</summary>
    public static string? CutOrNull(string? text, int max) =>
        string.IsNullOrWhiteSpace(text) ? null : Cut(text.Trim(), max);
}
