// A study's data is a labelled data set: one home, @growset/tables (the loader `growset train` uses too).
export {
  type ColumnInfo,
  type LabelledData as StudyData,
  type LabelledDataReport as StudyDataReport,
  labelledDataFromSamples as studyDataFromSamples,
} from '@growset/tables';
