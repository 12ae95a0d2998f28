using AgenteVendedor.Panel.Api;
using AgenteVendedor.Panel.Features.Empresa;

namespace AgenteVendedor.Panel.Tests.Components;

public sealed class FaqEditorTests
{
    [Fact]
    public void Refusals_land_on_the_row_they_are_about_when_blank_rows_are_skipped()
    {
        var editor = new FaqEditor([new PreguntaFrecuente("¿Abren domingos?", "Sí, de 9 a 1.")]);
        editor.Add();
        editor.Add();
        editor.Rows[2].Respuesta = "Nequi";
        var sent = editor.ToRequest();
        Assert.Equal(["¿Abren domingos?", ""], sent.Select(e => e.Pregunta));
        editor.ShowErrors(new ApiProblem(422, "Datos inválidos", null,
            new Dictionary<string, string[]> { ["preguntas_frecuentes[1].pregunta"] = ["Escribe la pregunta."] }, []));
        Assert.Null(editor.ErrorOf(editor.Rows[1], "pregunta"));
        Assert.Equal("Escribe la pregunta.", editor.ErrorOf(editor.Rows[2], "pregunta"));
        Assert.Null(editor.ErrorOf(editor.Rows[0], "pregunta"));
    }
}
