namespace GistNotebooks.Reporting.Charts;

/// <summary>
/// How a chart is drawn to a static file (SVG, PNG or PDF) by <see cref="ChartExport"/>. The defaults give the size
/// in the chart's layout (else 900 × 600), a PNG at twice that many pixels, and the Chromium found as
/// <see cref="ChromiumLocator"/> describes.
/// </summary>
public sealed record StaticExportOptions
{
    /// <summary>The default options.</summary>
    public static StaticExportOptions Default { get; } = new();

    /// <summary>The width used when neither the options nor the chart's layout give one: 900 CSS pixels.</summary>
    public const int DefaultWidth = 900;

    /// <summary>The height used when neither the options nor the chart's layout give one: 600 CSS pixels.</summary>
    public const int DefaultHeight = 600;

    /// <summary>The figure's width in CSS pixels; null (the default) takes the chart's layout width, else <see cref="DefaultWidth"/>.</summary>
    public int? Width { get; init; }

    /// <summary>The figure's height in CSS pixels; null (the default) takes the chart's layout height, else <see cref="DefaultHeight"/>.</summary>
    public int? Height { get; init; }

    /// <summary>Device pixels per CSS pixel of a PNG (default 2, so a 900 × 600 figure is 1800 × 1200 pixels); SVG and PDF are vector drawings and ignore it.</summary>
    public double Scale { get; init; } = 2;

    /// <summary>The Chromium (or Chrome) executable; null (the default) looks for it as <see cref="ChromiumLocator.Find"/> does.</summary>
    public string? ChromiumPath { get; init; }

    /// <summary>How long Chromium may take for one file (default two minutes).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive (or above 10,000), the scale is not in (0, 10], or the timeout is not positive.</exception>
    public StaticExportOptions Validate()
    {
        if (Width is { } width)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width, nameof(Width));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 10_000, nameof(Width));
        }

        if (Height is { } height)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height, nameof(Height));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(height, 10_000, nameof(Height));
        }
        if (!(Scale > 0 && Scale <= 10))
        {
            throw new ArgumentOutOfRangeException(nameof(Scale), Scale, "The scale must be above 0 and at most 10.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero);
        return this;
    }
}
