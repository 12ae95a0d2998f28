using System.Globalization;
using System.Text;

namespace AgenteVendedor.Text;

/// <summary>Comparisons the way a Spanish speaker expects: case, accents and extra spaces do not matter.</summary>
public static class SpanishText
{
    /// <summary>"  Taladro  PERCUTOR eléctrico" → "taladro percutor electrico".</summary>
    public static string Fold(string text)
    {
        // Plain ASCII (most catalog text) has no accents to strip: skip the Unicode decomposition.
        var decomposed = System.Text.Ascii.IsValid(text) ? text : text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
