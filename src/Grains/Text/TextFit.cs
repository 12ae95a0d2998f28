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

    /// <summary>Why a text cannot be stored as it is in a PostgreSQL varchar column of <paramref name="max"/> characters, or null when it can.</summary>
    public static string? ColumnProblem(string? text, int max)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Length > max)
        {
            return $"Debe tener como máximo {max} caracteres.";
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\0')
            {
                return "No puede contener el carácter nulo (\\u0000).";
            }

            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return "Contiene un carácter Unicode incompleto.";
            }
        }

        return null;
    }
}
