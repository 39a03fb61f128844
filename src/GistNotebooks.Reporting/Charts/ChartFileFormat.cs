namespace GistNotebooks.Reporting.Charts;

/// <summary>The file formats a chart is saved in by <see cref="ChartExport.Save"/>.</summary>
public enum ChartFileFormat
{
    /// <summary>A self-contained HTML page with plotly.js written into it (interactive, offline; no Chromium needed).</summary>
    Html,

    /// <summary>A scalable vector drawing, as plotly.js draws it.</summary>
    Svg,

    /// <summary>A raster image at <see cref="StaticExportOptions.Scale"/> device pixels per CSS pixel.</summary>
    Png,

    /// <summary>A one-page vector PDF the size of the figure, printed by Chromium.</summary>
    Pdf,
}
