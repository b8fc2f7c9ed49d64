/** Colours for legend entries (Okabe-Ito plus Tableau-like extras: distinct for most eyes). */
export const CATEGORY_COLORS = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#f0e442',
  '#7f3c8d',
  '#11a579',
  '#3969ac',
  '#e73f74',
  '#9a9a9a',
];

/** Low to high, for numbers (viridis, sampled). */
export const GRADIENT = [
  '#440154',
  '#482878',
  '#3e4989',
  '#31688e',
  '#26828e',
  '#1f9e89',
  '#35b779',
  '#6ece58',
  '#b5de2b',
  '#fde725',
];

export const PLAIN_COLOR = '#3969ac';

/** This dataset and the one compared with it (blue and vermilion: apart for most eyes). */
export const COMPARE_COLORS = ['#0072b2', '#d55e00'];
